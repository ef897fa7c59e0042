-- POST /products with names unique across runs, rounds, threads and requests
-- (wrk ... -- PREFIX, where PREFIX carries a per-run random id).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local prefix = "bench"
local counter = 0
function init(args)
  prefix = (args[1] or "bench") .. "-t" .. tostring(tid or 0)
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"name": "%s-%d", "description": "Inserted by the benchmark", "price": "%d.%02d", "quantity": %d}',
    prefix, counter, counter % 500, counter % 100, counter % 1000)
  return wrk.format("POST", "/products", {["Content-Type"] = "application/json"}, body)
end
