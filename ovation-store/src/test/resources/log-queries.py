"""Asks the vote log two questions with pymongo alone, as a person with MongoDB's own tools would.

    python3 log-queries.py URI DATABASE CONTEST BAND PROTOCOL FROM TO LATEST

prints, as JSON lines: the votes of CONTEST for BAND that came over PROTOCOL and were received from
FROM (included) to TO (excluded), ISO-8601 instants, by status (an aggregation); then the LATEST
newest votes of CONTEST with their named fields, newest first (a find, then the same order as the
results API: counted-at time, then partition, then offset, highest first). VoteLogIT runs it.
"""
import json
import sys
from datetime import datetime

from pymongo import MongoClient


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def as_json(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    raise TypeError(f"{type(value)} is not JSON")


uri, database, contest, band, protocol, start, end, latest = sys.argv[1:9]
log = MongoClient(uri, tz_aware=True)[database].log_buckets

by_status = log.aggregate([
    # a bucket's countedAt is its newest entry's, never before that entry was received
    {"$match": {"contests": contest, "countedAt": {"$gte": instant(start)}}},
    {"$unwind": "$entries"},
    {"$replaceRoot": {"newRoot": "$entries"}},
    {"$match": {"contest": contest, "band": band, "protocol": protocol,
                "receivedAt": {"$gte": instant(start), "$lt": instant(end)}}},
    {"$group": {"_id": "$status", "votes": {"$sum": 1}}},
    {"$sort": {"_id": 1}},
])
print(json.dumps({row["_id"]: row["votes"] for row in by_status}))

votes = [entry
         for bucket in log.find({"contests": contest}, {"entries": 1, "_id": 0})
         for entry in bucket["entries"] if entry["contest"] == contest]
votes.sort(key=lambda v: (v["countedAt"], -v["partition"], v["offset"]), reverse=True)
for vote in votes[:int(latest)]:
    print(json.dumps(vote, default=as_json))
