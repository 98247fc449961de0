// A partner agency's engineer, end to end, against a running registry, with nothing but the generated types
// (openapi-typescript), openapi-fetch and the Standard Webhooks library: no casts, no `any`.
// tests/clients/run.sh starts the service and runs this with REGISTRY_URL, REGISTRY_ADMIN_KEY and REGISTRY_DB set.
import { execFileSync } from "node:child_process";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import { Webhook } from "standardwebhooks";
import type { components, paths } from "./schema";

type CertificateIssuedEvent = components["schemas"]["CertificateIssuedEvent"];
type ProblemDetails = components["schemas"]["ProblemDetails"];

const baseUrl = required("REGISTRY_URL");
const adminKey = required("REGISTRY_ADMIN_KEY");
const suffix = Date.now().toString(36).toUpperCase();
let checks = 0;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`FAILED: ${what}`);
  checks++;
  console.log(`ok ${checks} - ${what}`);
}

function registry(key?: string) {
  return createClient<paths>({ baseUrl, headers: key ? { "X-Api-Key": key } : {} });
}

function fail(what: string, error: ProblemDetails | undefined, response: Response): never {
  throw new Error(`${what}: ${response.status} ${error?.title ?? ""} ${error?.detail ?? ""}`);
}

function etagOf(response: Response): string {
  const etag = response.headers.get("ETag");
  if (!etag) throw new Error(`${response.url} sent no ETag`);
  return etag;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A runtime check that an unknown JSON value is a certificate.issued event (a type predicate, not a cast). */
function isCertificateIssued(value: unknown): value is CertificateIssuedEvent {
  if (typeof value !== "object" || value === null) return false;
  if (!("type" in value) || value.type !== "certificate.issued") return false;
  if (!("data" in value) || typeof value.data !== "object" || value.data === null) return false;
  return "number" in value.data && typeof value.data.number === "string";
}

function webhookHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === "string") flat[name] = value;
  return flat;
}

// ---- a webhook receiver on loopback that verifies every delivery with the Standard Webhooks library ----

interface Received { body: string; headers: Record<string, string> }
const received: Received[] = [];
const receiver = createServer((request, response) => {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk: string) => (body += chunk));
  request.on("end", () => {
    received.push({ body, headers: webhookHeaders(request.headers) });
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const address = receiver.address();
if (address === null || typeof address === "string") throw new Error("The receiver has no port");
const hookUrl = `http://127.0.0.1:${(address satisfies AddressInfo).port}/hook`;

try {
  // ---- setup as admin: a partner agency, a standard in force, a licensed center, keys ----
  const admin = registry(adminKey);
  const partner = await admin.POST("/api/v1/partners", {
    body: { code: `ts-partner-${suffix.toLowerCase()}`, nameEn: "TypeScript Partner", nameFa: "شریک", country: "IR", sectors: ["handicrafts"], agreementSignedOn: "2024-01-01" },
  });
  if (!partner.data) fail("CreatePartner", partner.error, partner.response);
  check(partner.response.status === 201 && partner.response.headers.get("Location") !== null, "CreatePartner answers 201 with Location");

  const standardCode = `TS-${suffix}`;
  const draft = await admin.POST("/api/v1/standards", {
    body: {
      code: standardCode, iscoCode: "7318", sector: "handicrafts", titleFa: "بافنده فرش دستباف", titleEn: "Hand-woven carpet weaver",
      theoryHours: 60, practicalHours: 140, theoryPassMark: 50, practicalPassMark: 60, validityMonths: 36,
    },
  });
  if (!draft.data) fail("CreateStandard", draft.error, draft.response);
  const activated = await admin.POST("/api/v1/standards/{id}/activate", {
    params: { path: { id: draft.data.id }, header: { "If-Match": etagOf(draft.response) } },
    body: { effectiveFrom: "2024-01-01" },
  });
  if (!activated.data) fail("ActivateStandard", activated.error, activated.response);
  check(activated.data.status === "active", "a draft standard is activated with If-Match");

  const center = await admin.POST("/api/v1/centers", {
    body: { code: `TS-C-${suffix}`, kind: "public", nameFa: "مرکز", nameEn: "TypeScript Center", provinceCode: "IR-10", city: "Ahvaz" },
  });
  if (!center.data) fail("CreateCenter", center.error, center.response);
  const centerId = center.data.id;
  const licence = await admin.POST("/api/v1/centers/{id}/licences", {
    params: { path: { id: centerId } }, body: { number: `LIC-${suffix}`, validFrom: "2024-01-01" },
  });
  if (!licence.data) fail("CreateCenterLicence", licence.error, licence.response);
  const scope = await admin.POST("/api/v1/centers/{id}/scope", {
    params: { path: { id: centerId } }, body: { standardCode, validFrom: "2024-01-01" },
  });
  if (!scope.data) fail("AddCenterScope", scope.error, scope.response);

  const centerKey = await admin.POST("/api/v1/api-keys", { body: { name: "ts center", role: "center", centerId } });
  const partnerKey = await admin.POST("/api/v1/api-keys", { body: { name: "ts partner", role: "partner", partnerId: partner.data.id } });
  if (!centerKey.data) fail("CreateApiKey (center)", centerKey.error, centerKey.response);
  if (!partnerKey.data) fail("CreateApiKey (partner)", partnerKey.error, partnerKey.response);

  // ---- the partner reads standards in its sector, a page at a time ----
  const asPartner = registry(partnerKey.data.key);
  const standards = await asPartner.GET("/api/v1/standards", { params: { query: { sector: "handicrafts", status: "active", page: 1, pageSize: 200 } } });
  if (!standards.data) fail("ListStandards", standards.error, standards.response);
  const pageSize: number = standards.data.pageSize;
  check(pageSize === 200 && standards.data.items.some((s) => s.code === standardCode), "the partner pages through its sector's standards (numbers are numbers)");

  // ---- If-Match updates: a fresh ETag succeeds, a stale one is a typed 412 problem ----
  const read = await admin.GET("/api/v1/partners/{id}", { params: { path: { id: partner.data.id } } });
  if (!read.data) fail("GetPartner", read.error, read.response);
  const staleEtag = etagOf(read.response);
  const update: components["schemas"]["UpdatePartnerRequest"] = { nameEn: "TypeScript Partner Agency", nameFa: "شریک", country: "IR", sectors: ["handicrafts"], status: "active" };
  const updated = await admin.PUT("/api/v1/partners/{id}", { params: { path: { id: partner.data.id }, header: { "If-Match": staleEtag } }, body: update });
  if (!updated.data) fail("UpdatePartner", updated.error, updated.response);
  check(updated.response.headers.get("ETag") !== staleEtag, "UpdatePartner with If-Match answers a new ETag");
  const stale = await admin.PUT("/api/v1/partners/{id}", { params: { path: { id: partner.data.id }, header: { "If-Match": staleEtag } }, body: update });
  check(stale.response.status === 412 && stale.error?.traceId !== undefined && stale.error.type.length > 0, "a stale If-Match is a 412 problem with type and traceId");

  // ---- the center subscribes, then submits a batch with an Idempotency-Key ----
  const asCenter = registry(centerKey.data.key);
  const hook = await asCenter.POST("/api/v1/webhooks", { body: { url: hookUrl, events: ["certificate.issued"] } });
  if (!hook.data) fail("CreateWebhook", hook.error, hook.response);
  const firstSecret = hook.data.secret;
  check(firstSecret.startsWith("whsec_"), "the webhook secret is a Standard Webhooks whsec_ secret");

  // ---- the center registers its assessor; the registry qualifies them for the standard ----
  const assessor = await asCenter.POST("/api/v1/practitioners", {
    body: {
      person: { nationalId: "0012345679", givenNameFa: "حمید", familyNameFa: "یزدانی", givenNameLatin: "Hamid", familyNameLatin: "Yazdani", birthDate: "1979-08-02", gender: "male" },
      code: `PR-TS-${suffix}`.toUpperCase().slice(0, 32),
    },
  });
  if (!assessor.data) fail("CreatePractitioner", assessor.error, assessor.response);
  const qualified = await admin.POST("/api/v1/practitioners/{id}/qualifications", {
    params: { path: { id: assessor.data.id } },
    body: { standardCode, kind: "assessor", source: "admin-decision", reason: "Assessor panel decision", validFrom: "2024-01-01" },
  });
  if (!qualified.data) fail("AddPractitionerQualification", qualified.error, qualified.response);

  const firstRow: components["schemas"]["AssessmentRowInput"] = {
    externalRef: `ts-${suffix}-1`,
    trainee: { nationalId: "0084575948", givenNameFa: "نرگس", familyNameFa: "امیری", givenNameLatin: "Narges", familyNameLatin: "Amiri", birthDate: "2001-07-15", gender: "female" },
    standardCode, examDate: "2025-06-01", theoryScore: 72.5, practicalScore: 88, assessorId: assessor.data.code,
  };
  const batch: components["schemas"]["AssessmentBatchRequest"] = { rows: [firstRow] };
  const idempotencyKey = `ts-batch-${suffix}`;
  const submitted = await asCenter.POST("/api/v1/assessment-batches", { params: { header: { "Idempotency-Key": idempotencyKey } }, body: batch });
  if (!submitted.data) fail("SubmitAssessmentBatch", submitted.error, submitted.response);
  const row = submitted.data.rows[0];
  if (!row?.certificateNumber || !row.certificateId) throw new Error("The passing row issued no certificate");
  const number = row.certificateNumber;
  const replayed = await asCenter.POST("/api/v1/assessment-batches", { params: { header: { "Idempotency-Key": idempotencyKey } }, body: batch });
  check(replayed.response.headers.get("Idempotency-Replayed") === "true" && replayed.data?.rows[0]?.certificateNumber === number,
    "a retry with the same Idempotency-Key replays the first answer");

  // ---- the delivery arrives, verifies with the library, and reads as a typed event ----
  const delivery = await waitFor("the certificate.issued delivery", async () => received.find((r) => r.body.includes(number)));
  const event: unknown = new Webhook(firstSecret).verify(delivery.body, delivery.headers);
  if (!isCertificateIssued(event)) throw new Error(`Not a certificate.issued event: ${delivery.body}`);
  check(event.data.id === row.certificateId && event.data.center.id === centerId && event.data.standard.sector === "handicrafts",
    "the event verifies with standardwebhooks and names its fields as GET /certificates/{id} does");
  const certificate = await asCenter.GET("/api/v1/certificates/{id}", { params: { path: { id: event.data.id } } });
  if (!certificate.data) fail("GetCertificate", certificate.error, certificate.response);
  check(certificate.data.issuedOn === event.data.issuedOn && certificate.data.number === event.data.number, "the event's dates have the REST shape");

  // ---- deliveries, each with its attempts ----
  const webhookId = hook.data.webhook.id;
  const deliveries = await waitFor("a succeeded delivery in the log", async () => {
    const log = await asCenter.GET("/api/v1/webhooks/{id}/deliveries", { params: { path: { id: webhookId }, query: { status: "succeeded" } } });
    return log.data && log.data.items.length > 0 ? log.data.items : undefined;
  });
  const attempts = deliveries[0]?.attemptLog ?? [];
  check(attempts.length === 1 && attempts[0]?.statusCode === 204 && attempts[0].number === 1, "the delivery log shows one attempt answered 204");

  // ---- a secret rotation: during the grace period, both secrets verify ----
  const rotated = await asCenter.POST("/api/v1/webhooks/{id}/rotate-secret", { params: { path: { id: webhookId } } });
  if (!rotated.data) fail("RotateWebhookSecret", rotated.error, rotated.response);
  const secondRow: components["schemas"]["AssessmentRowInput"] = { ...firstRow, externalRef: `ts-${suffix}-2`, trainee: { ...firstRow.trainee, nationalId: "0013542419" } };
  const second = await asCenter.POST("/api/v1/assessment-batches", { body: { rows: [secondRow] } });
  const secondIssued = second.data?.rows[0]?.certificateNumber;
  if (!secondIssued) fail("SubmitAssessmentBatch (2)", second.error, second.response);
  const secondNumber: string = secondIssued;
  const afterRotation = await waitFor("the delivery after the rotation", async () => received.find((r) => r.body.includes(secondNumber)));
  const withNew: unknown = new Webhook(rotated.data.secret).verify(afterRotation.body, afterRotation.headers);
  const withOld: unknown = new Webhook(firstSecret).verify(afterRotation.body, afterRotation.headers);
  check(isCertificateIssued(withNew) && isCertificateIssued(withOld), "after a rotation a delivery verifies with the new and the old secret");

  // ---- an employer verifies, with the certificate's token from its QR code ----
  const token = execFileSync("python3", ["-c",
    "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT token FROM certificates WHERE number = ?', (sys.argv[2],)).fetchone()[0])",
    required("REGISTRY_DB"), number], { encoding: "utf8" }).trim(); // the QR code's #t= part; no scanner here
  const publicClient = registry();
  const masked = await publicClient.GET("/api/v1/verify/{number}", { params: { path: { number } } });
  const full = await publicClient.GET("/api/v1/verify/{number}", { params: { path: { number }, header: { "X-Certificate-Token": token } } });
  if (!masked.data || !full.data) throw new Error("VerifyCertificate failed");
  check(masked.data.status === "valid" && masked.data.holder === null, "a number alone answers the status, not the holder");
  check(full.data.tokenValid === true && full.data.holder?.nameLatin === "Narges Amiri", "with the token the holder's name shows");

  // ---- an employer in Maysan checks a list of applicants in bulk, in Arabic, with a verifier key ----
  const verifierKey = await admin.POST("/api/v1/api-keys", { body: { name: "ts verifier (Maysan HR)", role: "verifier" } });
  if (!verifierKey.data) fail("CreateApiKey (verifier)", verifierKey.error, verifierKey.response);
  const asVerifier = registry(verifierKey.data.key);
  const typo = number.slice(0, -1) + (number.endsWith("0") ? "1" : "0");
  const bulk = await asVerifier.POST("/api/v1/verifications", {
    params: { query: { lang: "ar" } },
    body: { items: [{ number, token }, { number: secondNumber }, { number: typo }] },
  });
  if (!bulk.data) fail("VerifyCertificates", bulk.error, bulk.response);
  check(bulk.data.items.map((a) => a.verdict).join() === "genuine,status-only,invalid-number", "bulk verification answers each item in order, verdict first");
  const single = await publicClient.GET("/api/v1/verify/{number}", {
    params: { path: { number }, query: { lang: "ar" }, header: { "X-Certificate-Token": token } },
  });
  if (!single.data) fail("VerifyCertificate (ar)", single.error, single.response);
  check(bulk.data.items[0]?.language === "ar" && bulk.data.items[0]?.verdictMessage === single.data.verdictMessage,
    "a bulk item says what the single verification says, in Arabic");
  const csv = await fetch(`${baseUrl}/api/v1/verifications`, {
    method: "POST",
    headers: { "X-Api-Key": verifierKey.data.key, "Content-Type": "text/csv", Accept: "text/csv" },
    body: `${number}\n${secondNumber}\n`,
  });
  const lines = (await csv.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
  check(csv.status === 200 && lines.length === 3 && lines[1]?.startsWith(`${number},status-only,`) === true,
    "a column of numbers sent as CSV comes back as CSV, a line per number");
  const refused = await asVerifier.GET("/api/v1/standards", { params: { query: { sector: "handicrafts", status: "active", page: 1, pageSize: 10 } } });
  check(refused.response.status === 403, "a verifier key may only verify");


  // ---- assessors and instructors: a partner accredits its assessor, a center records a refresher course, and a batch
  //      names that assessor; a row for each reason the register refuses one, each on the row's assessorId ----
  const refresherCode = `TS-R-${suffix}`;
  const refresherDraft = await admin.POST("/api/v1/standards", {
    body: {
      code: refresherCode, iscoCode: "7316", sector: "handicrafts", titleFa: "هنرمند میناکاری", titleEn: "Minakari (enamel) artisan",
      theoryHours: 50, practicalHours: 250, theoryPassMark: 50, practicalPassMark: 60, refresherHours: 8, refresherMonths: 12,
    },
  });
  if (!refresherDraft.data) fail("CreateStandard (refresher hours)", refresherDraft.error, refresherDraft.response);
  const refresherActive = await admin.POST("/api/v1/standards/{id}/activate", {
    params: { path: { id: refresherDraft.data.id }, header: { "If-Match": etagOf(refresherDraft.response) } }, body: { effectiveFrom: "2024-01-01" },
  });
  if (!refresherActive.data) fail("ActivateStandard (refresher hours)", refresherActive.error, refresherActive.response);
  const refresherScope = await admin.POST("/api/v1/centers/{id}/scope", { params: { path: { id: centerId } }, body: { standardCode: refresherCode, validFrom: "2024-01-01" } });
  if (!refresherScope.data) fail("AddCenterScope (refresher hours)", refresherScope.error, refresherScope.response);

  const accredited = await asPartner.POST("/api/v1/practitioners", {
    body: {
      person: { nationalId: "0034567895", givenNameFa: "شیرین", familyNameFa: "اصفهانی", givenNameLatin: "Shirin", familyNameLatin: "Esfahani", birthDate: "1981-02-11", gender: "female" },
      code: `PR-TSP-${suffix}`.slice(0, 32),
    },
  });
  if (!accredited.data) fail("CreatePractitioner (partner)", accredited.error, accredited.response);
  const partnerAssessor = accredited.data;
  check(partnerAssessor.home.kind === "partner" && partnerAssessor.home.id === partner.data.id, "a partner registers its own assessor (home: the partner)");
  const accreditation = await asPartner.POST("/api/v1/practitioners/{id}/qualifications", {
    params: { path: { id: partnerAssessor.id } },
    body: { standardCode: refresherCode, kind: "assessor", source: "partner-accreditation", validFrom: "2025-01-01" },
  });
  if (!accreditation.data) fail("AddPractitionerQualification (accreditation)", accreditation.error, accreditation.response);
  check(accreditation.data.qualifications.some((q) => q.source === "partner-accreditation" && q.partnerId === partner.data.id && q.standardCode === refresherCode),
    "the partner accredits them for a standard in its sector");
  const visit = await asPartner.POST("/api/v1/practitioners/{id}/visits", {
    params: { path: { id: partnerAssessor.id } }, body: { centerId, firstDay: "2025-06-01", lastDay: "2025-06-30" },
  });
  if (!visit.data) fail("AddPractitionerVisit", visit.error, visit.response);
  const course = await asCenter.POST("/api/v1/practitioners/{id}/refresher-courses", {
    params: { path: { id: partnerAssessor.id } }, body: { title: "Enamel assessment refresher", hours: 8, completedOn: "2025-05-20" },
  });
  if (!course.data) fail("AddPractitionerRefresherCourse", course.error, course.response);
  check(course.data.refresherCourses.some((c) => c.hours === 8 && c.provider.kind === "center" && c.provider.id === centerId),
    "the visited center records the refresher course it gave (provider: the center)");

  const person = (nationalId: string, givenNameLatin: string): components["schemas"]["TraineeReference"] => ({
    nationalId, givenNameFa: "کاوه", familyNameFa: "نادری", givenNameLatin, familyNameLatin: "Naderi", birthDate: "2000-03-05", gender: "male",
  });
  const assessed = (ref: string, nationalId: string, code: string, examDate: string, assessorId: string): components["schemas"]["AssessmentRowInput"] => ({
    externalRef: `ts-${suffix}-${ref}`, trainee: person(nationalId, `Kaveh ${ref}`), standardCode: code, examDate, theoryScore: 70, practicalScore: 80, assessorId,
  });
  const reasons = await asCenter.POST("/api/v1/assessment-batches", {
    body: {
      rows: [
        assessed("ok", "0034579060", refresherCode, "2025-06-10", partnerAssessor.code),
        assessed("unregistered", "0034590234", refresherCode, "2025-06-10", `PR-NOBODY-${suffix}`.slice(0, 32)),
        assessed("unqualified", "0034601406", standardCode, "2025-06-10", partnerAssessor.code),
        assessed("not-current", "0034612572", refresherCode, "2025-05-10", partnerAssessor.code),
        assessed("not-attached", "0034623744", refresherCode, "2025-07-10", partnerAssessor.code),
      ],
    },
  });
  if (!reasons.data) fail("SubmitAssessmentBatch (assessor reasons)", reasons.error, reasons.response);
  const rows = reasons.data.rows;
  check(rows[0]?.result === "recorded" && reasons.data.recorded === 1 && reasons.data.rejected === 4,
    "the row naming the accredited, refreshed, visiting assessor is recorded; the other four are rejected");
  const refusal = (index: number): string => {
    const errors = rows[index]?.errors ?? {};
    const fields = Object.keys(errors);
    if (rows[index]?.result !== "rejected" || fields.length !== 1 || fields[0] !== `rows[${index}].assessorId`)
      throw new Error(`Row ${index}: expected one error on rows[${index}].assessorId, got ${JSON.stringify(rows[index])}`);
    return errors[`rows[${index}].assessorId`]?.join(" ") ?? "";
  };
  check(refusal(1).includes("is not a registered practitioner"), "not registered: rejected on rows[1].assessorId");
  check(refusal(2).includes(`is not qualified to assess standard ${standardCode}`), "not qualified for this code: rejected on rows[2].assessorId");
  check(refusal(3).includes("was not current on the exam date 2025-05-10") && refusal(3).includes("refresher hours"),
    "not current on the exam date (no refresher hours in the period): rejected on rows[3].assessorId");
  check(refusal(4).includes("was not attached to this center on 2025-07-10"), "not attached to this center that day: rejected on rows[4].assessorId");

  console.log(`${checks} passed, 0 failed`);
} finally {
  receiver.close();
}
