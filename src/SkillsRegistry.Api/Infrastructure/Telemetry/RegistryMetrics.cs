using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using SkillsRegistry.Api.Infrastructure.Outbox;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Infrastructure.Telemetry;

/// <summary>
/// The registry's own meters, beside the framework's (HTTP server and client, runtime, Npgsql). One instance per service,
/// made from the host's <see cref="IMeterFactory"/>; features call the methods below at the point where the thing happened
/// (after commit for what a transaction writes). Names and units are listed in the README (Operating it → Telemetry).
/// </summary>
public sealed class RegistryMetrics
{
    public const string MeterName = "SkillsRegistry";

    private readonly Counter<long> verifications;
    private readonly Counter<long> cacheHits;
    private readonly Counter<long> cacheMisses;
    private readonly Counter<long> ingestRows;
    private readonly Counter<long> certificatesIssued;
    private readonly Counter<long> certificatesRevoked;
    private readonly Counter<long> webhookDeliveries;
    private readonly Counter<long> pdfRenders;
    private readonly Histogram<double> pdfPoolWait;
    private readonly Counter<long> rateLimitRefusals;
    private readonly Counter<long> integritySignals;
    private Func<long> verificationCacheSize = () => 0;

    public RegistryMetrics(IMeterFactory meters, OutboxBacklog outbox)
    {
        var meter = meters.Create(MeterName);
        verifications = meter.CreateCounter<long>("registry.verifications", "{verification}", "Verification answers given, by verdict.");
        cacheHits = meter.CreateCounter<long>("registry.verification_cache.hits", "{lookup}", "Verification look-ups answered from memory.");
        cacheMisses = meter.CreateCounter<long>("registry.verification_cache.misses", "{lookup}", "Verification look-ups that read the database.");
        meter.CreateObservableGauge("registry.verification_cache.size", () => verificationCacheSize(), "{record}",
            "Certificate records held in the verification cache.");
        ingestRows = meter.CreateCounter<long>("registry.ingest.rows", "{row}", "Assessment batch rows committed, by outcome.");
        certificatesIssued = meter.CreateCounter<long>("registry.certificates.issued", "{certificate}", "Certificates issued (corrections included).");
        certificatesRevoked = meter.CreateCounter<long>("registry.certificates.revoked", "{certificate}", "Certificates revoked.");
        webhookDeliveries = meter.CreateCounter<long>("registry.webhook.deliveries", "{attempt}", "Webhook delivery attempts, by result.");
        meter.CreateObservableGauge("registry.outbox.oldest_undelivered_age", () => outbox.LastKnownAge.TotalSeconds, "s",
            "Age of the oldest outbox event not yet handed to the webhook dispatcher (as of the last scrape or readiness check).");
        pdfRenders = meter.CreateCounter<long>("registry.pdf.renders", "{render}", "Certificate PDF requests, by result (cached, rendered, refused, failed).");
        pdfPoolWait = meter.CreateHistogram<double>("registry.pdf.pool_wait", "s", "Time a render waited for a free page of the PDF pool.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        rateLimitRefusals = meter.CreateCounter<long>("registry.rate_limit.refusals", "{request}", "Requests refused with 429, by budget.");
        integritySignals = meter.CreateCounter<long>("registry.integrity.signals", "{signal}", "Integrity signals reported by detection runs, by kind.");
    }

    /// <summary>Where the verification cache's size is read from (the composition root connects the cache).</summary>
    public void ObserveVerificationCacheSize(Func<long> size) => verificationCacheSize = size;

    public void Verified<TVerdict>(TVerdict verdict) where TVerdict : struct, Enum => verifications.Add(1, Tag("verdict", verdict));

    public void VerificationCacheLookup(bool hit) => (hit ? cacheHits : cacheMisses).Add(1);

    public void RowsIngested<TOutcome>(TOutcome outcome, int rows) where TOutcome : struct, Enum
    {
        if (rows > 0) ingestRows.Add(rows, Tag("outcome", outcome));
    }

    public void CertificatesIssued(int count) => certificatesIssued.Add(count);

    public void CertificateRevoked() => certificatesRevoked.Add(1);

    public void WebhookDelivered<TResult>(TResult result) where TResult : struct, Enum => webhookDeliveries.Add(1, Tag("result", result));

    public void PdfServed(PdfResult result) => pdfRenders.Add(1, new KeyValuePair<string, object?>("result", PdfResults[(int)result]));

    public void PdfPoolWaited(TimeSpan wait) => pdfPoolWait.Record(wait.TotalSeconds);

    public void RateLimited(RateLimitBudget budget) =>
        rateLimitRefusals.Add(1, new KeyValuePair<string, object?>("budget", Budgets[(int)budget]));

    public void IntegritySignalRaised<TKind>(TKind kind) where TKind : struct, Enum => integritySignals.Add(1, Tag("kind", kind));

    public enum PdfResult { Cached, Rendered, Refused, Failed }

    public enum RateLimitBudget { PublicAddress, KeyReads, KeyWrites, KeyBatchRows, KeyVerifiedItems }

    private static readonly string[] PdfResults = Enum.GetValues<PdfResult>().Select(v => EnumText.ToText(v)).ToArray();
    private static readonly string[] Budgets = Enum.GetValues<RateLimitBudget>().Select(v => EnumText.ToText(v)).ToArray();

    private static KeyValuePair<string, object?> Tag<T>(string name, T value) where T : struct, Enum => new(name, TagText<T>.Of(value));

    /// <summary>
    /// Tag values as the API writes the enum (kebab-case), computed once per value. A measurement costs an array index
    /// (members numbered 0, 1, 2…, as every enum tagged here is) and allocates nothing; other enums fall back to a look-up.
    /// </summary>
    private static class TagText<T> where T : struct, Enum
    {
        private static readonly T[] Values = Enum.GetValues<T>();
        private static readonly string[]? ByNumber = Unsafe.SizeOf<T>() == sizeof(int) && Values.Select(Number).SequenceEqual(Enumerable.Range(0, Values.Length))
            ? Values.Select(v => EnumText.ToText(v)).ToArray()
            : null;
        private static readonly FrozenDictionary<T, string> Texts = Values.ToFrozenDictionary(v => v, v => EnumText.ToText(v));

        public static string Of(T value)
        {
            if (ByNumber is not null && (uint)Number(value) < (uint)ByNumber.Length) return ByNumber[Number(value)];
            return Texts.TryGetValue(value, out var text) ? text : EnumText.ToText(value);
        }

        private static int Number(T value) => Unsafe.As<T, int>(ref value);
    }
}
