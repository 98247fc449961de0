using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.OpenApi;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>One certificate to verify: its number and, when the caller has it, the QR code's token (what follows <c>#t=</c> in the QR link).</summary>
public sealed record VerificationItem(
    [property: Required, MaxLength(BulkVerification.MaxNumberLength)] string? Number,
    [property: MaxLength(BulkVerification.MaxTokenLength)] string? Token);

public sealed record VerifyCertificatesRequest(
    [property: Required, MinLength(1), MaxLength(BulkVerification.MaxItems)] IReadOnlyList<VerificationItem?>? Items);

/// <summary>One answer per item, in the order of the request; each is exactly what <c>GET /api/v1/verify/{number}</c> answers.</summary>
public sealed record VerifyCertificatesResponse(IReadOnlyList<VerificationAnswer> Items);

/// <summary>
/// Verification for employers and agencies who check many certificates at once: each item goes through
/// <see cref="VerificationService"/> as a single verification would, so the verdicts are the same; the key spends one
/// verified-certificate token and leaves one audit record (a read) per item.
/// </summary>
public static class BulkVerification
{
    public const int MaxItems = 500;
    public const int MaxNumberLength = 64;
    public const int MaxTokenLength = 4096;

    internal const string CsvExample = "number,token\r\n1405-10-483920175-K,eyJhbGciOiJFUzI1NiIsImtpZCI6InJlZ2lzdHJ5LTIwMjYtMDMifQ.eyJuIjoiMTQwNS0xMC00ODM5MjAxNzUtSyJ9.c2lnbmF0dXJl\r\n1404-10-271846390-K,\r\n";

    public static RouteHandlerBuilder MapBulkVerification(this IEndpointRouteBuilder api) =>
        api.MapPost("/verifications", VerifyCertificates)
            .WithTags("Verification")
            .RequireAuthorization(Policies.Verifiers)
            .WithName("VerifyCertificates")
            .WithSummary($"Verify up to {MaxItems} certificates at once (verifier, partner or admin key)")
            .WithDescription($$"""
                For employers and agencies: each item is a certificate number with, when you have it, the QR code's token (the text
                after `#t=` in the QR link). Each answer is exactly the answer of GET /api/v1/verify/{number} with the token in its
                header (verdict first), in the order of the items. Send JSON (`{"items":[{"number":"…","token":"…"}]}`) or CSV
                (`Content-Type: text/csv`): a header line `number,token` (token may be empty), or a single column of numbers with no
                header, as pasted from a spreadsheet; item i is the i-th data line. `Accept: text/csv` answers CSV, one line per item.
                Messages are in the language asked with `lang=fa|en|ar` or Accept-Language. More than {{MaxItems}} items is a 413; a
                malformed item is a 400 naming it (`items[3].number`), and then nothing is verified. Each item spends one token of the
                key's verified-certificates budget (RateLimiting:PerKey:VerifiedItems) and is audited as one read.
                """)
            .Accepts<VerifyCertificatesRequest>("application/json", "text/csv")
            .AcceptsCsv(CsvExample)
            .Produces<VerifyCertificatesResponse>(StatusCodes.Status200OK)
            .AlsoAnswersCsv()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    private static async Task<IResult> VerifyCertificates(
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "lang"), OneOf(typeof(Language))] string? language, Caller caller, HttpContext http, VerificationService verification, Db db,
        IOptions<JsonOptions> json, CancellationToken ct)
    {
        var read = await ReadAsync(http.Request, json.Value.SerializerOptions, ct);
        if (read.Rejection is { } unreadable) return unreadable.ToProblem();
        var items = read.Value;
        if (items.Count > MaxItems)
            return Rejection.TooLarge($"A request holds at most {MaxItems} items; this one has {items.Count}. Split it into several requests.").ToProblem();
        var errors = Check(items);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        if (!await RateLimiting.TrySpendAsync(http, ItemBudget.VerifiedItems, items.Count)) return Results.Empty;

        var speak = VerificationEndpoints.SpeakTo(http, language);
        var answers = new List<VerificationAnswer>(items.Count);
        foreach (var item in items) answers.Add(await verification.VerifyAsync(item!.Number, item.Token, null, speak, ct));
        await db.WriteAsync(s =>
        {
            foreach (var answer in answers)
                s.Audit(new AuditEntry(caller, "read", "certificate", answer.Number,
                    new { operation = "VerifyCertificates", verdict = EnumText.ToText(answer.Verdict) }));
            return Task.CompletedTask;
        }, ct);
        http.Response.Headers.CacheControl = "no-store";
        return Csv.Requested(http)
            ? new CsvResult<VerificationAnswer>(answers, Columns, "verifications.csv")
            : TypedResults.Ok(new VerifyCertificatesResponse(answers));
    }

    private static ValidationErrors Check(IReadOnlyList<VerificationItem?> items)
    {
        var errors = new ValidationErrors();
        if (items.Count == 0) errors.Add("items", $"Send 1 to {MaxItems} items.");
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item) { errors.Add($"items[{i}]", "An item is an object with a certificate number."); continue; }
            if (string.IsNullOrWhiteSpace(item.Number)) errors.Add($"items[{i}].number", "Required: the certificate number as printed, e.g. 1405-10-483920175-K.");
            else errors.MaxLength($"items[{i}].number", item.Number, MaxNumberLength);
            errors.MaxLength($"items[{i}].token", item.Token, MaxTokenLength);
        }
        return errors;
    }

    private static async Task<Outcome<List<VerificationItem?>>> ReadAsync(HttpRequest request, JsonSerializerOptions options, CancellationToken ct)
    {
        // Anything but these two is refused by routing (415) before it gets here.
        var mediaType = request.ContentType is { } type && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out var parsed)
            ? parsed.MediaType.Value ?? "" : "";
        if (mediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return FromCsv(await reader.ReadToEndAsync(ct));
        }
        try
        {
            var body = await JsonSerializer.DeserializeAsync<VerifyCertificatesRequest>(request.Body, options, ct);
            return body?.Items is { } items ? items.ToList() : Rejection.InvalidField("items", $"Required: 1 to {MaxItems} items.");
        }
        catch (JsonException e)
        {
            return Rejection.InvalidField(e.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "body",
                "Not readable as JSON of the form {\"items\":[{\"number\":\"…\",\"token\":\"…\"}]}.");
        }
    }

    /// <summary>
    /// A header line naming <c>number</c> (and <c>token</c>) in any order, or a single column of numbers (a second column, if
    /// any, is the token). Blank lines are skipped; cells are trimmed.
    /// </summary>
    internal static List<VerificationItem?> FromCsv(string text)
    {
        var records = Csv.Parse(text).Where(r => r.Any(c => c.Trim().Length > 0)).ToList();
        int numberAt = 0, tokenAt = 1;
        if (records.Count > 0 && records[0].Select(c => c.Trim().ToLowerInvariant()).ToList() is var header && header.Contains("number"))
        {
            numberAt = header.IndexOf("number");
            tokenAt = header.IndexOf("token");
            records.RemoveAt(0);
        }
        string? Cell(List<string> record, int at) => at >= 0 && at < record.Count && record[at].Trim() is { Length: > 0 } value ? value : null;
        return records.Select(r => (VerificationItem?)new VerificationItem(Cell(r, numberAt), Cell(r, tokenAt))).ToList();
    }

    private static readonly CsvColumn<VerificationAnswer>[] Columns =
    [
        new("number", a => a.Number),
        new("verdict", a => EnumText.ToText(a.Verdict)),
        new("verdictMessage", a => a.VerdictMessage),
        new("status", a => EnumText.ToText(a.Status)),
        new("message", a => a.Message),
        new("holderNameFa", a => a.Holder?.NameFa),
        new("holderNameLatin", a => a.Holder?.NameLatin),
        new("holderMasked", a => a.Holder?.Masked),
        new("standardCode", a => a.Standard?.Code),
        new("standardVersion", a => a.Standard?.Version),
        new("standardTitleFa", a => a.Standard?.TitleFa),
        new("standardTitleEn", a => a.Standard?.TitleEn),
        new("currentStandardCode", a => a.CurrentStandard?.Code),
        new("currentStandardVersion", a => a.CurrentStandard?.Version),
        new("currentStandardEquivalent", a => a.CurrentStandard?.Equivalent),
        new("centerCode", a => a.Center?.Code),
        new("centerNameFa", a => a.Center?.NameFa),
        new("centerNameEn", a => a.Center?.NameEn),
        new("issuedOn", a => a.IssuedOn),
        new("issuedOnSolarHijri", a => a.IssuedOnSolarHijri),
        new("expiresOn", a => a.ExpiresOn),
        new("expiresOnSolarHijri", a => a.ExpiresOnSolarHijri),
        new("revocationReasonCode", a => a.Revocation?.ReasonCode),
        new("revokedAt", a => a.Revocation?.RevokedAt),
        new("supersededByNumber", a => a.SupersededBy?.Number),
        new("tokenPresented", a => a.TokenPresented),
        new("tokenValid", a => a.TokenValid),
        new("checkedAt", a => a.CheckedAt),
        new("language", a => EnumText.ToText(a.Language)),
    ];
}
