// Checks the certificate token carried in the URL fragment (#t=...) against the registry's published keys, in the browser
// (the fragment never reaches the server), and puts the verdict on what was scanned first on the page. A token that fails
// turns the verdict red and the registry's answer grey: a forged QR pointing at a real number must never look green.
(function () {
  "use strict";
  var main = document.querySelector("main");
  var number = main.getAttribute("data-number");
  var status = main.getAttribute("data-status");
  var box = document.getElementById("verdict");

  var texts = document.getElementById("texts");
  function text(selector) { return texts.querySelector(selector); }
  function set(id, value) { var e = document.getElementById(id); if (e) e.textContent = value || ""; }

  // The language switch keeps the number (the path), the query and the token (the fragment, which only the browser knows).
  Array.prototype.forEach.call(document.querySelectorAll("#languages a"), function (a) {
    var query = new URLSearchParams(location.search);
    query.set("lang", a.getAttribute("data-lang"));
    a.href = location.pathname + "?" + query.toString() + location.hash;
  });

  if (!box || box.getAttribute("data-verdict") !== "unchecked") return; // not found / invalid number: nothing to check

  function show(verdict, other) {
    var t = text('[data-verdict="' + verdict + '"]');
    var replace = function (s) { return s === null ? "" : s.split("{other}").join((other || "").replace(/-/g, "-\u2060")); };
    box.className = "verdict " + verdict;
    box.setAttribute("data-verdict", verdict);
    set("verdict-title", t.getAttribute("data-title"));
    set("verdict-title-en", t.getAttribute("data-title-en"));
    set("verdict-text", replace(t.getAttribute("data-text")));
    set("verdict-en", replace(t.getAttribute("data-en")));
  }

  // kind: the box's look (busy, unchecked); state: its texts (busy, no-crypto, unavailable).
  function plain(kind, state) {
    var t = text('[data-state="' + state + '"]');
    box.className = "verdict " + kind;
    box.setAttribute("data-verdict", kind);
    set("verdict-title", t.getAttribute("data-title"));
    set("verdict-title-en", t.getAttribute("data-title-en"));
    set("verdict-text", t.getAttribute("data-text"));
    set("verdict-en", t.getAttribute("data-en"));
  }

  function forged(verdict, other) {
    show(verdict, other);
    var registry = document.getElementById("registry-answer");
    if (registry) registry.className = "banner muted";
  }

  function b64url(s) {
    var b64 = s.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function digits(s, zero) { return String(s).replace(/[0-9]/g, function (d) { return String.fromCharCode(zero + (+d)); }); }

  function fill(row, values) {
    var r = document.getElementById(row);
    if (!r) return;
    Object.keys(values).forEach(function (id) { var e = document.getElementById(id); if (e) e.textContent = values[id]; });
    r.hidden = false;
  }

  // A day as the page's language writes it (VerificationLanguage.Date): both calendars, Arabic Gregorian, or ISO.
  var dates = texts.getAttribute("data-dates"), months = texts.getAttribute("data-months").split("|");
  function date(day, solarHijri) {
    if (!day) return texts.getAttribute("data-does-not-expire");
    if (dates === "both") return digits(solarHijri, 0x06F0) + " · " + day;
    if (dates === "arabic-gregorian") {
      var ymd = day.split("-");
      return digits(+ymd[2] + " " + months[+ymd[1] - 1] + " " + ymd[0], 0x0660);
    }
    return day;
  }

  // An instant (xxxAt, UTC) as the day it was in Tehran, in both calendars, as the page prints dates.
  function tehranDay(instant) {
    var at = new Date(instant);
    var part = function (locale, type) {
      return new Intl.DateTimeFormat(locale, { timeZone: "Asia/Tehran", year: "numeric", month: "2-digit", day: "2-digit" })
        .formatToParts(at).filter(function (p) { return p.type === type; })[0].value;
    };
    var ymd = function (locale) { return [part(locale, "year"), part(locale, "month"), part(locale, "day")]; };
    var g = ymd("en-US"), sh = ymd("en-US-u-ca-persian-nu-latn");
    return date(g.join("-"), sh.join("/"));
  }

  // Dates as the verified token carries them, and names where it does (tokens issued before the names' digest "nh": compact
  // "fa"/"la" or the verbose claims); the registry's answer below then shows the holder as the registry names them.
  function fromClaims(c) {
    var fa = c.fa || (c.name && c.name.fa), la = c.la || (c.name && c.name.lat);
    if (fa) fill("row-holder", { "holder-fa": fa, "holder-latin": la });
    var day = function (d) { return typeof d === "number" ? String(d).replace(/^(\d{4})(\d\d)(\d\d)$/, "$1-$2-$3") : d; };
    var issued = day(c.is || c.issued), expires = day(c.ex || c.expires);
    if (issued) {
      fill("row-issued", { "issued": dates === "both" ? issued : date(issued) });
      fill("row-expires", { "expires": expires ? (dates === "both" ? expires : date(expires)) : date(null) });
    }
  }

  // The registry's full answer for this token: center, assessor, dates in both calendars, the revocation reason.
  function fromRegistry(answer) {
    if (answer.holder) fill("row-holder", { "holder-fa": answer.holder.nameFa, "holder-latin": answer.holder.nameLatin });
    if (answer.center) fill("row-center", { "center-fa": answer.center.nameFa, "center-en": answer.center.nameEn });
    if (answer.assessor) {
      var a = answer.assessor, lang = document.documentElement.lang, home = a.homeOrganisation || {};
      fill("row-assessor", { "assessor": lang === "en" ? a.messageEn : lang === "fa" ? a.messageFa : a.message, "assessor-en": a.messageEn,
        "assessor-home-fa": home.nameFa || "", "assessor-home-en": home.nameEn || "" });
    }
    if (answer.issuedOn) {
      fill("row-issued", { "issued": date(answer.issuedOn, answer.issuedOnSolarHijri) });
      fill("row-expires", { "expires": date(answer.expiresOn, answer.expiresOnSolarHijri) });
    }
    if (answer.revocation) {
      var reason = text('[data-reason="' + answer.revocation.reasonCode + '"]');
      fill("row-revocation", { "revoked-on": tehranDay(answer.revocation.revokedAt),
        "reason": reason ? reason.getAttribute("data-text") : "", "reason-en": reason ? reason.getAttribute("data-en") : "" });
    }
  }

  function genuine(token, claims) {
    var verdict = { valid: "genuine", revoked: "genuine-but-revoked", superseded: "genuine-but-superseded", expired: "genuine-but-expired" }[status];
    show(verdict || "status-only");
    fromClaims(claims);
    var note = document.getElementById("holder-note");
    if (note) note.hidden = true;
    var form = document.getElementById("family-name");
    if (form) form.hidden = true;
    fetch("/api/v1/verify/" + encodeURIComponent(number), { headers: { "X-Certificate-Token": token, "Accept": "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer && answer.tokenValid === true) fromRegistry(answer); })
      .catch(function () { /* the token's own dates (and an older token's names) stay shown */ });
  }

  var token = new URLSearchParams(location.hash.slice(1)).get("t");
  if (!token) {
    show("status-only");
    return;
  }
  if (!window.crypto || !crypto.subtle) {
    plain("unchecked", "no-crypto");
    return;
  }
  plain("busy", "busy");

  var parts = token.split("."), header, claims;
  try {
    if (parts.length !== 3) throw new Error("shape");
    header = JSON.parse(new TextDecoder().decode(b64url(parts[0])));
    claims = JSON.parse(new TextDecoder().decode(b64url(parts[1])));
  } catch (e) { forged("qr-not-genuine"); return; }

  fetch("/.well-known/jwks.json", { cache: "no-cache" })
    .then(function (r) { if (!r.ok) throw { unavailable: true }; return r.json(); })
    .then(function (jwks) {
      var jwk = (jwks.keys || []).filter(function (k) { return k.kid === header.kid; })[0];
      if (!jwk || header.alg !== "ES256" || (header.typ !== undefined && header.typ !== "sr-cert+jws")) throw new Error("not a registry token");
      return crypto.subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, ext: true },
        { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    })
    .then(function (key) {
      return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, b64url(parts[2]),
        new TextEncoder().encode(parts[0] + "." + parts[1]));
    })
    .then(function (ok) {
      if (!ok) { forged("qr-not-genuine"); return; }
      var claimed = claims.n || claims.num;
      if (claimed !== number) { forged("qr-of-another-certificate", claimed); return; }
      genuine(token, claims);
    })
    .catch(function (e) {
      if (e && e.unavailable) {
        plain("unchecked", "unavailable");
        return;
      }
      forged("qr-not-genuine");
    });
})();
