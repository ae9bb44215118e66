// What a new user needs to search without reading the docs: example searches (shown for
// an empty query) and a short cheat sheet of docs/query-language.md.

import { h } from "./dom.js";
import { searchHash } from "./search_url.js";

const EXAMPLES = [
  ["Console sign-ins without MFA", "eventName:ConsoleLogin additionalEventData.MFAUsed:No"],
  ["Failed console sign-ins", "eventName:ConsoleLogin responseElements.ConsoleLogin:Failure"],
  [
    "Who was denied access most",
    "errorCode:AccessDenied* | stats count() as denied by userIdentity.arn | sort -denied | head 20",
  ],
  ["Root account activity", "userIdentity.type:Root"],
  ["Changes to IAM", "eventSource:iam.amazonaws.com readOnly:false"],
  ["Errors by API call", "errorCode:* | stats count() by eventName, errorCode | sort -count | head 20"],
  ["Events per hour by service", "| timechart span=1h count() by eventSource"],
];

const CHEATSHEET = [
  ["field:value", "the field has this value (case is ignored)", "eventName:ConsoleLogin"],
  ['field:"a b"', "a value with spaces or special characters", 'userAgent:"aws-cli/2.15 Python/3.11"'],
  ["field:abc*", "wildcards: * any run of characters, ? one character", "errorCode:AccessDenied*"],
  ["field:*", "the field is present", "errorCode:*"],
  ["-field:value", "exclude (also NOT)", "-eventType:AwsServiceEvent"],
  ["a b · a AND b", "both (side by side means AND)", "eventName:ConsoleLogin additionalEventData.MFAUsed:No"],
  ["a OR b · ( )", "either; NOT > AND > OR; group with parentheses", "eventName:(CreateUser OR DeleteUser)"],
  ["field:>=N · [a TO b]", "comparisons and ranges", "_time:>=2024-05-01T00:00:00Z"],
  ['word · "some text"', "free text anywhere in the event", "AccessDenied"],
  ["a.b.c", "nested fields are dotted paths", "requestParameters.bucketName:payroll-exports"],
  [
    "| stats count() by f",
    "count per value (also count_distinct, min, max, values)",
    "errorCode:* | stats count() by eventName | sort -count",
  ],
  ["| timechart span=1h …", "counts over time", "| timechart span=1h count() by eventSource"],
  [
    "| sort -f | head N | fields a, b",
    "order, keep the first N, pick columns",
    "eventSource:s3.amazonaws.com | fields _time, eventName, userIdentity.arn",
  ],
];

// The example searches, as links to their search over the last 24 hours.
export function examplesPanel() {
  return h(
    "div",
    { class: "examples" },
    h("h2", { text: "Example searches" }),
    h(
      "ul",
      {},
      EXAMPLES.map(([title, q]) =>
        h(
          "li",
          {},
          h("a", { href: searchHash({ q, from: "-24h" }), class: "example-link", text: title }),
          h("code", { text: q }),
        ),
      ),
    ),
  );
}

// The cheat sheet; clicking an example calls pick(query).
export function cheatsheet(pick) {
  const example = (q) =>
    h("a", {
      href: "#",
      class: "example-query",
      title: "Put this in the query box",
      text: q,
      onclick: (e) => {
        e.preventDefault();
        pick(q);
      },
    });
  return h(
    "details",
    { class: "help" },
    h("summary", { text: "Syntax help" }),
    h(
      "table",
      { class: "cheatsheet" },
      h(
        "tbody",
        {},
        CHEATSHEET.map(([syntax, meaning, q]) =>
          h("tr", {}, h("td", {}, h("code", { text: syntax })), h("td", { text: meaning }), h("td", {}, example(q))),
        ),
      ),
    ),
    h(
      "p",
      { class: "muted small" },
      "The time range is chosen beside the query, not in it. Field names are case-sensitive; values are not. ",
      "The full reference is docs/query-language.md.",
    ),
  );
}
