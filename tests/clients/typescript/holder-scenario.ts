// A certificate holder, end to end, against a running registry, with nothing but the generated types (openapi-typescript)
// and openapi-fetch: code → session → share → view → revoke → view refused. No casts, no `any`.
// tests/clients/run.sh starts the service and runs this after the partner scenario, with REGISTRY_URL and REGISTRY_ADMIN_KEY set.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type ProblemDetails = components["schemas"]["ProblemDetails"];

const baseUrl = need("REGISTRY_URL");
const suffix = `H${Date.now().toString(36).toUpperCase()}`;
let checks = 0;

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value;
}

function ok(condition: boolean, what: string): void {
  if (!condition) throw new Error(`FAILED: ${what}`);
  checks++;
  console.log(`ok ${checks} - ${what}`);
}

function refused(what: string, error: ProblemDetails | undefined, response: Response): never {
  throw new Error(`${what}: ${response.status} ${error?.title ?? ""} ${error?.detail ?? ""}`);
}

function client(headers: Record<string, string> = {}) {
  return createClient<paths>({ baseUrl, headers });
}

/** A valid Iranian national ID: nine digits and their check digit. */
function nationalId(): string {
  const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10)));
  const sum = digits.reduce((total, d, i) => total + d * (10 - i), 0) % 11;
  return digits.join("") + String(sum < 2 ? sum : 11 - sum);
}

// ---- setup as admin: a standard in force, a licensed center with it in scope, a center key, one certificate ----
const admin = client({ "X-Api-Key": need("REGISTRY_ADMIN_KEY") });
const standardCode = `HS-${suffix}`;
const draft = await admin.POST("/api/v1/standards", {
  body: { code: standardCode, iscoCode: "7318", sector: "handicrafts", titleFa: "بافنده فرش دستباف", titleEn: "Hand-woven carpet weaver",
    theoryHours: 60, practicalHours: 140, theoryPassMark: 50, practicalPassMark: 60, validityMonths: 36 },
});
if (!draft.data) refused("CreateStandard", draft.error, draft.response);
const etag = draft.response.headers.get("ETag");
if (!etag) throw new Error("CreateStandard sent no ETag");
const activated = await admin.POST("/api/v1/standards/{id}/activate", { params: { path: { id: draft.data.id }, header: { "If-Match": etag } }, body: { effectiveFrom: "2024-01-01" } });
if (!activated.data) refused("ActivateStandard", activated.error, activated.response);
const center = await admin.POST("/api/v1/centers", { body: { code: `HS-C-${suffix}`, kind: "public", nameFa: "مرکز", nameEn: "Holder Scenario Center", provinceCode: "IR-10", city: "Ahvaz" } });
if (!center.data) refused("CreateCenter", center.error, center.response);
const centerId = center.data.id;
await admin.POST("/api/v1/centers/{id}/licences", { params: { path: { id: centerId } }, body: { number: `LIC-${suffix}`, validFrom: "2024-01-01" } });
await admin.POST("/api/v1/centers/{id}/scope", { params: { path: { id: centerId } }, body: { standardCode, validFrom: "2024-01-01" } });
const key = await admin.POST("/api/v1/api-keys", { body: { name: "holder scenario center", role: "center", centerId } });
if (!key.data) refused("CreateApiKey", key.error, key.response);
const asCenter = client({ "X-Api-Key": key.data.key });
const assessor = await asCenter.POST("/api/v1/practitioners", {
  body: {
    person: { nationalId: nationalId(), givenNameFa: "حمید", familyNameFa: "یزدانی", givenNameLatin: "Hamid", familyNameLatin: "Yazdani", birthDate: "1979-08-02", gender: "male" },
    code: `PR-HS-${suffix}`.toUpperCase().slice(0, 32),
  },
});
if (!assessor.data) refused("CreatePractitioner", assessor.error, assessor.response);
const qualified = await admin.POST("/api/v1/practitioners/{id}/qualifications", {
  params: { path: { id: assessor.data.id } },
  body: { standardCode, kind: "assessor", source: "admin-decision", reason: "Assessor panel decision", validFrom: "2024-01-01" },
});
if (!qualified.data) refused("AddPractitionerQualification", qualified.error, qualified.response);
const birthDate = "2000-02-29";
const batch = await asCenter.POST("/api/v1/assessment-batches", {
  body: { rows: [{ externalRef: `hs-${suffix}`, standardCode, examDate: "2025-06-01", theoryScore: 80, practicalScore: 90, assessorId: assessor.data.code,
    trainee: { nationalId: nationalId(), givenNameFa: "مریم", familyNameFa: "صالحی", givenNameLatin: "Maryam", familyNameLatin: "Salehi", birthDate, gender: "female" } }] },
});
const row = batch.data?.rows[0];
if (!row?.certificateId || !row.certificateNumber) refused("SubmitAssessmentBatch", batch.error, batch.response);
const certificate = await asCenter.GET("/api/v1/certificates/{id}", { params: { path: { id: row.certificateId } } });
if (!certificate.data) refused("GetCertificate", certificate.error, certificate.response);
const traineeId = certificate.data.traineeId;

// ---- the center hands the person a one-time code; the person exchanges it, with the birth date, for a session ----
const code = await asCenter.POST("/api/v1/trainees/{id}/access-codes", { params: { path: { id: traineeId } } });
if (!code.data) refused("IssueHolderAccessCode", code.error, code.response);
ok(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(code.data.code), "a center issues an access code XXXX-XXXX-XXXX");
const wrong = await client().POST("/holder/sessions", { body: { code: code.data.code, birthDate: "2000-03-01" } });
ok(wrong.response.status === 422 && wrong.error?.title === "Access code not accepted", "a wrong birth date is refused (422)");
const session = await client().POST("/holder/sessions", { body: { code: code.data.code.toLowerCase(), birthDate } });
if (!session.data) refused("CreateHolderSession", session.error, session.response);
ok(session.data.token.startsWith("srh_") && session.data.idleTimeoutMinutes > 0, "the code and birth date give a holder session");
const again = await client().POST("/holder/sessions", { body: { code: code.data.code, birthDate } });
ok(again.response.status === 422, "the code works only once");

const holder = client({ Authorization: `Bearer ${session.data.token}` });
const own = await holder.GET("/holder/certificates");
if (!own.data) refused("ListHolderCertificates", own.error, own.response);
ok(own.data.items.length === 1 && own.data.items[0]?.number === row.certificateNumber, "the holder sees their transcript");

// ---- share → view → revoke → view refused ----
const share = await holder.POST("/holder/shares", { body: { certificateIds: [row.certificateId], days: 14, recipientLabel: "Ahvaz Steel HR" } });
if (!share.data) refused("CreateHolderShare", share.error, share.response);
ok(share.data.qrSvg.startsWith("<svg") && share.data.share.state === "active", "a share gives a link and a QR code");
const token = share.data.url.split("/").pop() ?? "";
const employer = client();
const view = await employer.GET("/api/v1/shares/{token}", { params: { path: { token } } });
if (!view.data) throw new Error("ViewShare failed");
ok(view.data.state === "active" && view.data.certificates[0]?.verdict === "genuine", "the employer sees the share, each certificate's verdict first");
ok(!JSON.stringify(view.data).includes(birthDate), "the share shows no birth date");
const page = await fetch(share.data.url);
ok(page.status === 200 && (page.headers.get("Content-Type") ?? "").startsWith("text/html"), "the link itself opens the page");

const listed = await holder.GET("/holder/shares");
ok(listed.data?.items[0]?.viewCount === 2, "the holder sees both views counted");
const views = await holder.GET("/holder/shares/{id}/views", { params: { path: { id: share.data.share.id } } });
ok(views.data?.items.every((v) => v.origin.endsWith("/16") || v.origin.endsWith("/32")) === true, "views show the viewer's network, never the address");

const revoked = await holder.POST("/holder/shares/{id}/revoke", { params: { path: { id: share.data.share.id } } });
if (!revoked.data) refused("RevokeHolderShare", revoked.error, revoked.response);
const after = await employer.GET("/api/v1/shares/{token}", { params: { path: { token } } });
ok(after.data?.state === "revoked" && after.data.certificates.length === 0 && after.data.holder === null, "after revocation the link shows that, and nothing else");
const gone = await fetch(share.data.url);
ok(gone.status === 410, "the revoked link's page answers 410 Gone");

const signedOut = await holder.DELETE("/holder/sessions/current");
ok(signedOut.response.status === 204 && (await holder.GET("/holder/record")).response.status === 401, "signing out ends the session");

console.log(`${checks} passed, 0 failed`);
