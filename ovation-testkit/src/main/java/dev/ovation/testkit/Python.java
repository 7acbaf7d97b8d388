package dev.ovation.testkit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The Python interpreters tests run scripts with (Debian's, whose packages such as pymongo they need). */
public final class Python {

    /** Debian's python3, when there; {@code python3} from PATH otherwise (a version manager's may lack Debian's packages). */
    public static final String DEBIANS = "/usr/bin/python3";

    private Python() {
    }

    /** Whether {@code python} (a path, or a name looked up in PATH) runs and imports {@code module}. */
    public static boolean imports(String python, String module) {
        try {
            Process probe = new ProcessBuilder(python, "-c", "import " + module).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
