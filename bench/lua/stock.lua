-- POST /products/{id}/stock in pairs over uniformly random ids in 1..N (wrk ... -- N): +1 to an
-- id, then -1 to the same id, so no quantity ever drops below its start (no 409s). With a
-- second argument (wrk ... -- N PREFIX), each request carries an Idempotency-Key of its own.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local n = 1
local id = 1
local counter = 0
local key_prefix = nil
function init(args)
  n = tonumber(args[1]) or 1
  if args[2] then
    key_prefix = args[2] .. "-t" .. tostring(tid or 0)
  end
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  counter = counter + 1
  local delta = 1
  if counter % 2 == 1 then
    id = math.random(1, n)
  else
    delta = -1
  end
  local headers = {["Content-Type"] = "application/json"}
  if key_prefix then
    headers["Idempotency-Key"] = key_prefix .. "-" .. counter
  end
  return wrk.format("POST", "/products/" .. id .. "/stock", headers, '{"delta": ' .. delta .. '}')
end
