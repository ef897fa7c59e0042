-- POST /products with names unique across runs, rounds, threads and requests
-- (wrk ... -- PREFIX [keyed], where PREFIX carries a per-run random id). With `keyed`, each
-- request also carries an Idempotency-Key of its own (PREFIX-N, unique like the name).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local prefix = "bench"
local keyed = false
local counter = 0
function init(args)
  prefix = (args[1] or "bench") .. "-t" .. tostring(tid or 0)
  keyed = args[2] == "keyed"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"name": "%s-%d", "description": "Inserted by the benchmark", "price": "%d.%02d", "quantity": %d}',
    prefix, counter, counter % 500, counter % 100, counter % 1000)
  local headers = {["Content-Type"] = "application/json"}
  if keyed then
    headers["Idempotency-Key"] = prefix .. "-" .. counter
  end
  return wrk.format("POST", "/products", headers, body)
end
