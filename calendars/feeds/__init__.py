"""Published feeds: feed tokens (rows), the feed service (cache keyed on calendar revisions) and the
HTTP app that phones subscribe to. Import the submodules you need; this package imports nothing."""
