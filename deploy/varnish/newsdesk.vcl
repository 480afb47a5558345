# Varnish in front of Newsdesk: caches what the app marks shareable, purges by cache key.
#
# Needs the xkey vmod (Debian: apt-get install varnish varnish-modules). The app sends
# every shareable answer with `Surrogate-Key: <keys>` (news.caching.middleware): the keys
# of what it shows, soft ones as `soft:<key>`, and `Surrogate-Control: max-age=N`. After a
# publish, news.caching.frontend.XkeyBackend sends `PURGE /` with `xkey-purge: <keys>`
# (every object that holds one is gone) and `xkey-softpurge: soft:<keys>` (objects that
# hold one softly are served at most `beresp.grace` longer, while refetched). Keep the
# grace equal to NEWSDESK_SOFT_PURGE_SECONDS. docs/install.md explains the set-up.
vcl 4.1;

import std;
import xkey;

# The app server (gunicorn). tests/test_varnish.py rewrites these two lines.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge || req.http.xkey-softpurge) {
            set req.http.n-gone = 0;
            set req.http.n-soft = 0;
            if (req.http.xkey-purge) {
                set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            }
            if (req.http.xkey-softpurge) {
                set req.http.n-soft = xkey.softpurge(req.http.xkey-softpurge);
            }
            return (synth(200, "Purged " + req.http.n-gone + ", soft " + req.http.n-soft));
        }
        # A URL purge (wagtail.contrib.frontend_cache's HTTPBackend).
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Tracking tags never make a variant (NEWSDESK_CACHE_IGNORED_QUERY_PARAMETERS).
    if (req.url ~ "[?&](utm_[a-z_]+|fbclid|gclid|yclid|mc_cid|mc_eid|_ga)=") {
        set req.url = regsuball(req.url, "(utm_[a-z_]+|fbclid|gclid|yclid|mc_cid|mc_eid|_ga)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    # Signed-in editors, the admin and previews are never served from the cache.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin)/") {
        return (pass);
    }
    # Language-prefixed pages and the API do not read cookies for anonymous readers.
    if (req.url ~ "^/([a-z]{2}(-[a-z]+)?|api)/") {
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_backend_response {
    if (!beresp.http.Surrogate-Key) {
        # The app did not mark it shareable (an unknown query parameter, an error page…).
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    set beresp.http.xkey = beresp.http.Surrogate-Key;
    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, ".*max-age=([0-9]+).*", "\1") + "s", 0s);
    }
    # = NEWSDESK_SOFT_PURGE_SECONDS: how long a soft-purged object may still be served.
    set beresp.grace = 60s;
    unset beresp.http.Surrogate-Control;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
}
