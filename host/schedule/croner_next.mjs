// Differential-test helper: prints the next 5 fires of cron specs as croner
// (the npm package pinned in tests/e2e) computes them, with cronie-like DST
// handling (fixedTimeRule "no-wildcard").
//
//   node croner_next.mjs NODE_MODULES_DIR < cases
//
// Each input line is "ZONE<TAB>START<TAB>SPEC" (START in Unix seconds); each
// output line is the fires in Unix seconds separated by spaces (fewer, or
// none, when croner finds fewer), or "ERR message".
import { createRequire } from "module";
import { readFileSync } from "fs";

const require = createRequire(process.argv[2] + "/");
const { Cron } = require("croner");

const out = [];
for (const line of readFileSync(0, "utf8").split("\n")) {
  if (line === "") continue;
  const [zone, start, spec] = line.split("\t");
  try {
    const job = new Cron(spec, { timezone: zone, fixedTimeRule: "no-wildcard", paused: true });
    const runs = job.nextRuns(5, new Date(Number(start) * 1000));
    out.push(runs.map((d) => String(Math.floor(d.getTime() / 1000))).join(" "));
  } catch (e) {
    out.push("ERR " + String(e.message).replace(/\s+/g, " "));
  }
}
process.stdout.write(out.join("\n") + "\n");
