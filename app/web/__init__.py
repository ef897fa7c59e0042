"""The shop's own page: plain HTML, CSS and ES modules in `static/`, served by `routes`."""
