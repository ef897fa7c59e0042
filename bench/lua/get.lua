-- GET /products/{id} with a uniformly random id in 1..N (wrk ... -- N).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local n = 1
function init(args)
  n = tonumber(args[1]) or 1
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  return wrk.format("GET", "/products/" .. math.random(1, n))
end
