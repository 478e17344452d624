// Parse an iCalendar document the way Thunderbird does (Mozilla's ical.js) and print JSON.
//
//   node icaljs_parse.mjs --from 2024-01-01T00:00:00Z --to 2025-01-01T00:00:00Z < feed.ics
//
// Every VTIMEZONE in the document is registered with ICAL.TimezoneService, and a TZID that has
// no VTIMEZONE in the document is an error: times are converted to UTC with the feed's OWN
// VTIMEZONE definitions, never with a zone database, so wrong VTIMEZONEs give wrong instants.
//
// Output:
//   {"calendar": {"name", "x_wr_calname", "x_wr_caldesc", "refresh_interval", "x_published_ttl",
//                 ...every calendar-level property, lower-case with "-" -> "_"},
//    "timezones": [tzid, ...],
//    "events": [{uid, summary, description, location, url, status, sequence, transp,
//                categories: [...], all_day, start, end, rrule, recurrence_id, dtstamp,
//                last_modified, created, subcomponents: [...], properties: {name: [values]},
//                alarms: [{action, description, trigger, trigger_seconds, related}],
//                languages: {summary, description, location},
//                occurrences: [{start, end, recurrence_id}]}]}
//
// All-day values are "YYYY-MM-DD" (DTEND exclusive, as in the file); timed values are UTC
// instants "YYYY-MM-DDTHH:MM:SSZ"; floating times (no TZID, no Z) keep their local form without
// "Z". `occurrences` lists the instances whose start lies in [from, to) (an all-day date counts
// as its midnight UTC), capped at 1000: the expansion of RRULE/RDATE/EXDATE with overrides
// (RECURRENCE-ID) applied for a recurring master, the event itself for a single one.
// A VEVENT carrying RECURRENCE-ID is listed too, with its own `recurrence_id` and no occurrences.
//
// Also refused (exit 1), though ical.js alone would accept them: a TZID without VTIMEZONE, and an
// impossible DATE/DATE-TIME (ical.js silently rolls 2024-13-40 over to 2025-02-09).
// Quirk: a local time inside a DST gap (Oslo 2024-03-31 02:30) is read with the offset AFTER
// the gap (00:30Z); RFC 5545 3.3.5 and the `ical` Python package use the one before (01:30Z).
//
// Any parse error: message on stderr, exit status 1. Bad usage: exit status 2.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const MAX_OCCURRENCES = 1000;

function usage(message) {
  process.stderr.write(`icaljs_parse: ${message}\n`);
  process.stderr.write("usage: node icaljs_parse.mjs --from ISO --to ISO < calendar.ics\n");
  process.exit(2);
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (key === "--from" || key === "--to") {
      if (i + 1 >= argv.length) usage(`${key} needs a value`);
      args[key.slice(2)] = argv[++i];
    } else {
      usage(`unknown argument ${key}`);
    }
  }
  if (!args.from || !args.to) usage("--from and --to are required");
  return args;
}

// Window bounds as epoch milliseconds; a bare date is its midnight UTC.
function windowBound(text, name) {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) usage(`--${name} is not an ISO 8601 date or date-time: ${text}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) && !/(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    usage(`--${name} needs an explicit offset or Z: ${text}`);
  }
  return ms;
}

function propKey(name) {
  return name.toLowerCase().replace(/-/g, "_");
}

function valueText(value) {
  if (value === null || value === undefined) return null;
  if (value instanceof ICAL.Time) return timeText(value);
  return String(value);
}

function isFloating(time) {
  return time.zone === ICAL.Timezone.localTimezone;
}

function timeText(time) {
  if (time === null || time === undefined) return null;
  if (time.isDate || isFloating(time)) return time.toString();
  return time.convertToZone(ICAL.Timezone.utcTimezone).toString();
}

// Epoch milliseconds for window comparison; dates and floating times read as UTC.
function timeMillis(time) {
  if (time.isDate || isFloating(time)) {
    const s = time.toString();
    return Date.parse(time.isDate ? `${s}T00:00:00Z` : `${s}Z`);
  }
  return time.toUnixTime() * 1000;
}

function allValues(component) {
  const props = {};
  for (const prop of component.getAllProperties()) {
    const key = propKey(prop.name);
    const values = prop.getValues().map(valueText);
    (props[key] ||= []).push(...values);
  }
  return props;
}

function firstText(component, name) {
  const prop = component.getFirstProperty(name);
  if (!prop) return null;
  return valueText(prop.getFirstValue());
}

function checkTimezones(root, tzids) {
  const known = new Set(tzids);
  const missing = new Set();
  const walk = (component) => {
    if (component.name === "vtimezone") return;
    for (const prop of component.getAllProperties()) {
      const tzid = prop.getParameter("tzid");
      if (tzid && !known.has(tzid)) missing.add(tzid);
    }
    component.getAllSubcomponents().forEach(walk);
  };
  walk(root);
  if (missing.size > 0) {
    throw new Error(
      `TZID without a VTIMEZONE in the document: ${[...missing].sort().join(", ")}`,
    );
  }
}

// ical.js silently rolls impossible dates over (2024-13-40 becomes 2025-02-09); refuse them.
function checkDateValues(component) {
  for (const prop of component.getAllProperties()) {
    if (prop.type !== "date" && prop.type !== "date-time") continue;
    for (const raw of prop.toJSON().slice(3)) {
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z?)?$/.exec(String(raw));
      const [y, mo, d, h = "0", mi = "0", s = "0"] = m ? m.slice(1) : [];
      const day = m ? new Date(Date.UTC(+y, +mo - 1, +d)) : null;
      const valid =
        m &&
        day.getUTCFullYear() === +y &&
        day.getUTCMonth() === +mo - 1 &&
        day.getUTCDate() === +d &&
        +h < 24 &&
        +mi < 60 &&
        +s <= 60;
      if (!valid) {
        throw new Error(`invalid ${prop.type} value in ${prop.name.toUpperCase()}: ${raw}`);
      }
    }
  }
  component.getAllSubcomponents().forEach(checkDateValues);
}

function occurrences(event, fromMs, toMs) {
  const result = [];
  if (!event.isRecurring()) {
    const ms = timeMillis(event.startDate);
    if (ms >= fromMs && ms < toMs) {
      result.push({
        start: timeText(event.startDate),
        end: timeText(event.endDate),
        recurrence_id: null,
      });
    }
    return result;
  }
  const iterator = event.iterator();
  let steps = 0;
  for (let next = iterator.next(); next; next = iterator.next()) {
    // Guard against unbounded rules whose instances never reach the window.
    if (++steps > 100000) break;
    const details = event.getOccurrenceDetails(next);
    const ms = timeMillis(details.startDate);
    // Overrides may move an instance, so stop on the rule's own time, not the moved one.
    if (timeMillis(next) >= toMs && ms >= toMs) break;
    if (ms >= fromMs && ms < toMs) {
      result.push({
        start: timeText(details.startDate),
        end: timeText(details.endDate),
        recurrence_id: timeText(details.recurrenceId),
      });
      if (result.length >= MAX_OCCURRENCES) break;
    }
  }
  return result;
}

// A VALARM as a client schedules it: its action and text, and the trigger as ical.js reads it
// (a duration such as "-P1D", relative to the start unless `related` says END).
function alarmJson(valarm) {
  const trigger = valarm.getFirstProperty("trigger");
  return {
    action: firstText(valarm, "action"),
    description: firstText(valarm, "description"),
    trigger: trigger ? valueText(trigger.getFirstValue()) : null,
    trigger_seconds: trigger && trigger.type === "duration"
      ? trigger.getFirstValue().toSeconds() : null,
    related: trigger ? trigger.getParameter("related") ?? "START" : null,
  };
}

function eventJson(vevent, fromMs, toMs) {
  const event = new ICAL.Event(vevent);
  const start = event.startDate;
  if (!start) throw new Error(`VEVENT ${event.uid ?? "(no UID)"} has no DTSTART`);
  const end = event.endDate;
  const rrule = vevent.getFirstProperty("rrule");
  const categories = [];
  for (const prop of vevent.getAllProperties("categories")) {
    categories.push(...prop.getValues().map(String));
  }
  const sequence = vevent.getFirstPropertyValue("sequence");
  const recurrenceId = vevent.getFirstPropertyValue("recurrence-id");
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    location: event.location,
    url: firstText(vevent, "url"),
    status: firstText(vevent, "status"),
    sequence: sequence === null ? null : Number(sequence),
    transp: firstText(vevent, "transp"),
    categories,
    all_day: start.isDate,
    start: timeText(start),
    end: timeText(end),
    rrule: rrule ? rrule.getFirstValue().toString() : null,
    recurrence_id: recurrenceId ? timeText(recurrenceId) : null,
    dtstamp: firstText(vevent, "dtstamp"),
    last_modified: firstText(vevent, "last-modified"),
    created: firstText(vevent, "created"),
    subcomponents: vevent.getAllSubcomponents().map((c) => c.name),
    alarms: vevent.getAllSubcomponents("valarm").map(alarmJson),
    // The LANGUAGE parameter (RFC 5545 §3.2.10) of each text property, or null.
    languages: Object.fromEntries(["summary", "description", "location"].map(
      (name) => [name, vevent.getFirstProperty(name)?.getParameter("language") ?? null])),
    properties: allValues(vevent),
    occurrences: recurrenceId ? [] : occurrences(event, fromMs, toMs),
  };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const fromMs = windowBound(args.from, "from");
  const toMs = windowBound(args.to, "to");
  const text = readFileSync(0, "utf8");
  if (!text.trim()) throw new Error("empty input");

  const jcal = ICAL.parse(text);
  // ICAL.parse returns one component, or an array when the input holds several.
  if (Array.isArray(jcal[0])) {
    throw new Error(`expected one VCALENDAR, found ${jcal.length} top-level components`);
  }
  const root = new ICAL.Component(jcal);
  if (root.name !== "vcalendar") {
    throw new Error(`top-level component is ${root.name.toUpperCase()}, not VCALENDAR`);
  }

  const tzids = [];
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    const tz = new ICAL.Timezone(vtimezone);
    if (!tz.tzid) throw new Error("VTIMEZONE without TZID");
    ICAL.TimezoneService.register(tz);
    tzids.push(tz.tzid);
  }
  checkTimezones(root, tzids);
  checkDateValues(root);

  const calendar = {
    name: null,
    x_wr_calname: null,
    x_wr_caldesc: null,
    refresh_interval: null,
    x_published_ttl: null,
  };
  for (const [key, values] of Object.entries(allValues(root))) {
    calendar[key] = values.length === 1 ? values[0] : values;
  }

  const events = root
    .getAllSubcomponents("vevent")
    .map((vevent) => eventJson(vevent, fromMs, toMs));

  process.stdout.write(JSON.stringify({ calendar, timezones: tzids, events }, null, 1) + "\n");
}

try {
  main();
} catch (error) {
  process.stderr.write(`icaljs_parse: ${error && error.message ? error.message : error}\n`);
  process.exit(1);
}
