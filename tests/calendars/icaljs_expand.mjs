// Expands an .ics file with ical.js (the parser Thunderbird uses) and prints every occurrence
// whose start date lies in FROM..TO (inclusive) as JSON: [{uid, date, time, status, summary}].
// usage: node icaljs_expand.mjs PREFIX FILE.ics FROM TO   (PREFIX: where npm installed ical.js)
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const [modules, file, from, to] = process.argv.slice(2);
const require = createRequire(path.join(modules, "noop.js"));
const ICAL = require("ical.js");

const comp = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
for (const tz of comp.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(tz);
}
const byUid = new Map();
for (const v of comp.getAllSubcomponents("vevent")) {
  const uid = v.getFirstPropertyValue("uid");
  if (!byUid.has(uid)) byUid.set(uid, []);
  byUid.get(uid).push(v);
}
const pad = (n) => String(n).padStart(2, "0");
const day = (t) => `${t.year}-${pad(t.month)}-${pad(t.day)}`;
const out = [];
function emit(uid, component, start) {
  const d = day(start);
  if (d < from || d > to) return;
  out.push({
    uid,
    date: d,
    time: start.isDate ? null : `${pad(start.hour)}:${pad(start.minute)}`,
    status: component.getFirstPropertyValue("status"),
    summary: component.getFirstPropertyValue("summary"),
  });
}
for (const [uid, comps] of byUid) {
  const master = comps.find((c) => !c.hasProperty("recurrence-id"));
  if (!master) {
    for (const c of comps) emit(uid, c, new ICAL.Event(c).startDate);
    continue;
  }
  // without explicit exceptions, ical.js relates every RECURRENCE-ID event of the whole
  // calendar to this master, whatever its UID; Thunderbird groups by UID first, as we do here
  const exceptions = comps.filter((c) => c !== master);
  const event = new ICAL.Event(master, { strictExceptions: true, exceptions });
  if (!event.isRecurring()) {
    emit(uid, master, event.startDate);
    continue;
  }
  const it = event.iterator();
  let next;
  let guard = 0;
  while ((next = it.next()) && guard++ < 100000) {
    const details = event.getOccurrenceDetails(next);
    emit(uid, details.item.component, details.startDate);
  }
}
process.stdout.write(JSON.stringify(out));
