/*
 * Vue 3's runtime-only build, which the page loads as a classic script before its modules (the global
 * Vue): the views import what they use from here. Only the views and the entry module do; the other
 * modules run without Vue, in Node's tests too.
 */

export const { createApp, h, markRaw, onBeforeUnmount, onMounted, reactive, watch } = globalThis.Vue;
