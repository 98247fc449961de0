// What a partner's generated client looks like: types from openapi-typescript, calls through openapi-fetch.
// Only type-checked in CI (tsc --noEmit); it documents that the committed contract supports these three journeys.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Standard = components["schemas"]["StandardDto"];
type BatchRow = components["schemas"]["AssessmentRowInput"];

const registry = createClient<paths>({
  baseUrl: "https://registry.example.org",
  headers: { "X-Api-Key": "sr_live_example" },
});

/** An employer checks a certificate number (no key needed); the QR token, when present, reveals the full name. */
export async function verifyCertificate(number: string, token?: string): Promise<string> {
  const { data, error } = await registry.GET("/api/v1/verify/{number}", {
    params: { path: { number } },
    headers: token ? { "X-Certificate-Token": token } : {},
  });
  if (error) throw new Error(`${error.status ?? ""} ${error.title ?? ""}: ${error.detail ?? ""}`);
  const status: components["schemas"]["VerificationStatus"] = data.status;
  return status === "revoked" ? `revoked: ${data.revocation?.reasonCode ?? "unknown"}` : status;
}

/** A training center submits a batch of results; a retry with the same Idempotency-Key replays the first answer. */
export async function submitBatch(rows: BatchRow[], idempotencyKey: string): Promise<string[]> {
  const { data, error, response } = await registry.POST("/api/v1/assessment-batches", {
    body: { rows },
    headers: { "Idempotency-Key": idempotencyKey },
  });
  if (error) throw new Error(`${response.status}: ${error.detail ?? ""}`);
  return data.rows
    .flatMap((row) => (row.result === "recorded" && row.certificateNumber !== null ? [row.certificateNumber] : []));
}

export const exampleRow: BatchRow = {
  externalRef: "2025-06-exam-17",
  trainee: {
    nationalId: "0012345679",
    givenNameFa: "زهرا",
    familyNameFa: "کریمی",
    givenNameLatin: "Zahra",
    familyNameLatin: "Karimi",
    birthDate: "1998-03-21",
    gender: "female",
    targetGroups: ["female-heads-of-household"],
  },
  standardCode: "7318-12-001",
  examDate: "2025-06-01",
  theoryScore: 82,
  practicalScore: 91,
  assessorId: "PR-KHZ-0457", // the registered assessor's practitioner code (or id)
};

/** A partner agency pages through the standards of one sector (its key sees only its agreement's sectors). */
export async function allStandards(sector: string): Promise<Standard[]> {
  const all: Standard[] = [];
  for (let page = 1; ; page++) {
    const { data, error } = await registry.GET("/api/v1/standards", {
      params: { query: { sector, status: "active", page, pageSize: 100 } },
    });
    if (error) throw new Error(error.detail ?? "ListStandards failed");
    all.push(...data.items);
    if (data.items.length < data.pageSize || all.length >= data.total) return all;
  }
}
