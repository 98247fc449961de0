// Checks the certificate token carried in the URL fragment (#t=...) against the registry's published keys,
// in the browser: the fragment never reaches the server.
(function () {
  "use strict";
  var main = document.querySelector("main");
  var box = document.getElementById("signature");
  var fa = document.getElementById("signature-fa");
  var en = document.getElementById("signature-en");

  function show(kind, textFa, textEn) {
    box.className = "sig " + kind;
    box.setAttribute("data-signature", kind);
    fa.textContent = textFa;
    en.textContent = textEn;
  }

  function b64url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function invalid() {
    show("bad", "امضای کد QR نامعتبر است: این کد را سامانه صادر نکرده یا دستکاری شده است.",
      "Signature INVALID: this QR code was not issued by the registry or has been altered.");
  }

  var token = new URLSearchParams(location.hash.slice(1)).get("t");
  if (!token) {
    show("none", "این پیوند کد امضاشده ندارد؛ فقط پاسخ سامانه در بالا نمایش داده شده است.",
      "This link carries no signed token; only the registry's answer above is shown.");
    return;
  }
  if (!window.crypto || !crypto.subtle) {
    show("none", "این مرورگر امکان بررسی امضا را ندارد (نیاز به https).", "This browser cannot check the signature here (it needs https).");
    return;
  }
  var parts = token.split(".");
  var header, claims;
  try {
    if (parts.length !== 3) throw new Error("shape");
    header = JSON.parse(new TextDecoder().decode(b64url(parts[0])));
    claims = JSON.parse(new TextDecoder().decode(b64url(parts[1])));
  } catch (e) { invalid(); return; }

  fetch("/.well-known/jwks.json", { cache: "no-cache" })
    .then(function (r) { return r.json(); })
    .then(function (jwks) {
      var jwk = (jwks.keys || []).filter(function (k) { return k.kid === header.kid; })[0];
      if (!jwk || header.alg !== "ES256") throw new Error("unknown key");
      return crypto.subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, ext: true },
        { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    })
    .then(function (key) {
      return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, b64url(parts[2]),
        new TextEncoder().encode(parts[0] + "." + parts[1]));
    })
    .then(function (ok) {
      if (!ok || claims.num !== main.getAttribute("data-number")) { invalid(); return; }
      show("good", "امضای کد QR معتبر است: این گواهینامه را سامانه صادر کرده است.",
        "Signature valid: this certificate was issued by the registry.");
      var holderFa = document.getElementById("holder-fa"), holderLatin = document.getElementById("holder-latin");
      if (holderFa && claims.name) { holderFa.textContent = claims.name.fa; holderLatin.textContent = claims.name.lat; }
    })
    .catch(invalid);
})();
