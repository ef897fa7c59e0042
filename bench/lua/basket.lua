-- POST /stock/batch, a basket of 5 lines over uniformly random ids in 1..N (wrk ... -- N), in
-- pairs: +1 to each of 5 ids, then -1 to the same 5, so no level ever drops below its start (no
-- 409s). Each line is a stock move; the basket applies all five in one transaction.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local LINES = 5
local n = 1
local ids = {}
local counter = 0
function init(args)
  n = tonumber(args[1]) or 1
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  counter = counter + 1
  local delta = -1
  if counter % 2 == 1 then
    delta = 1
    for i = 1, LINES do
      ids[i] = math.random(1, n)
    end
  end
  local lines = {}
  for i = 1, LINES do
    lines[i] = '{"product_id": ' .. ids[i] .. ', "delta": ' .. delta .. '}'
  end
  local body = '{"lines": [' .. table.concat(lines, ", ") .. ']}'
  return wrk.format("POST", "/stock/batch", {["Content-Type"] = "application/json"}, body)
end
