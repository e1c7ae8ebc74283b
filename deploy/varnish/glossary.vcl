# Varnish in front of two replicas of the glossary service (docs/deployment.md).
#
# The service does the hard part: a strong ETag per representation (made from its bytes,
# so it survives a reload that leaves it unchanged), Vary on Accept and Accept-Language,
# Cache-Control on every answer (no-store on errors, /annotate, /health/caches, /metrics).
# This file only spreads requests over the replicas, keeps what they allow, and revalidates
# it often: a reload reaches clients within FRESHNESS, at the cost of a 304 per object.
#
# Checked by tests/deploy/test_caches.py (varnishd 7, Debian's `varnish` package), which
# replaces the two backends' addresses and FRESHNESS below.

vcl 4.1;

import directors;
import std;

probe health {
    .url = "/health";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

backend replica1 {
    .host = "replica1";
    .port = "8000";
    .probe = health;
    .connect_timeout = 1s;
    .first_byte_timeout = 60s;  # a SPARQL query may take the service's whole timeout
}

backend replica2 {
    .host = "replica2";
    .port = "8000";
    .probe = health;
    .connect_timeout = 1s;
    .first_byte_timeout = 60s;
}

sub vcl_init {
    new replicas = directors.round_robin();
    replicas.add_backend(replica1);
    replicas.add_backend(replica2);
}

sub vcl_recv {
    set req.backend_hint = replicas.backend();
    # An expired answer is revalidated before it is served, while a replica is up (so a
    # reload reaches clients within FRESHNESS); served stale for the grace only when none is.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    # Queries and annotations by POST, and what operators read, are never kept.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(metrics|health)(/|\?|$)") {
        return (pass);
    }
    # No answer depends on cookies or credentials: drop them rather than pass every request
    # a browser sends with a cookie of the site's domain.
    unset req.http.Cookie;
    unset req.http.Authorization;
    return (hash);
}

sub vcl_backend_fetch {
    # A retry (below) goes to the next replica the director names.
    set bereq.backend = replicas.backend();
}

sub vcl_backend_response {
    # The service's Cache-Control decides what may be kept and for how long; here it is
    # kept at most FRESHNESS before a revalidation (If-None-Match: usually a 304), and kept
    # an hour beyond that to revalidate rather than fetch anew.
    if (beresp.ttl > 5s) {
        set beresp.ttl = 5s;  # FRESHNESS
    }
    set beresp.grace = 1h;
    set beresp.keep = 1h;
}

sub vcl_backend_error {
    # A replica that went down between health probes: ask the other, so no client sees it.
    if (bereq.retries < 2) {
        return (retry);
    }
}

sub vcl_deliver {
    # Whether the cache answered (for people and the tests); Age says how long it kept it.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
