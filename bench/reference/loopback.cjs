// Loaded before the reference sync server (node --require): it listens on every address by
// default; pm-bench runs it on 127.0.0.1 only. A listen(port, ...) without a host gets 127.0.0.1.
const net = require("net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" && typeof args[1] !== "string") {
    args.splice(1, 0, "127.0.0.1");
  }
  return listen.apply(this, args);
};
