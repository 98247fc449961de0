-- wrk script: GET <prefix><number> with a random existing certificate number per request.
-- Usage: wrk ... -s verify.lua http://127.0.0.1:PORT -- /api/v1/verify/ numbers.txt
local numbers = {}
local prefix = "/"

function init(args)
  prefix = args[1]
  for line in io.lines(args[2]) do
    if #line > 0 then numbers[#numbers + 1] = line end
  end
  local address = tostring({}):match("0x(%x+)")
  math.randomseed(os.time() + (address and tonumber(address:sub(-6), 16) or 0))
end

function request()
  return wrk.format("GET", prefix .. numbers[math.random(#numbers)])
end
