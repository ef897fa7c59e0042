-- GET /products?limit=50: the first page and its X-Total-Count.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
wrk.method = "GET"
wrk.path = "/products?limit=50"
