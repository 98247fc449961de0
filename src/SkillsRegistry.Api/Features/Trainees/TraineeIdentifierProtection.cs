using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Hosting;
using SkillsRegistry.Api.Infrastructure.Protection;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>
/// Startup step after the migrations (before any request): national IDs and passport numbers still stored in clear —
/// rows written before migration 0009 — are encrypted and replaced by their keyed hash; values encrypted under a key
/// that is no longer the active one are re-encrypted under the active key (key rotation). Works in chunks, each its
/// own transaction, so an interrupted start resumes where it stopped.
/// </summary>
public sealed class TraineeIdentifierProtection(TraineeRepository trainees, FieldProtector protector, ILogger<TraineeIdentifierProtection> logger)
    : IDataSeeder
{
    private const int Chunk = 500;

    private sealed class PendingRow
    {
        public Guid Id { get; init; }
        public string? NationalIdHash { get; init; }
        public string? NationalIdEnc { get; init; }
        public string? PassportHash { get; init; }
        public string? PassportEnc { get; init; }
        public string? Nationality { get; init; }
    }

    // Clear values are those without a ciphertext; stale ones carry another key id in front of the ciphertext.
    private const string SelectPending = """
        SELECT id AS Id, national_id_hash AS NationalIdHash, national_id_enc AS NationalIdEnc, passport_number_hash AS PassportHash,
               passport_number_enc AS PassportEnc, nationality AS Nationality
        FROM trainees
        WHERE (national_id_hash IS NOT NULL AND (national_id_enc IS NULL OR substr(national_id_enc, 1, @prefixLength) <> @prefix))
           OR (passport_number_hash IS NOT NULL AND (passport_number_enc IS NULL OR substr(passport_number_enc, 1, @prefixLength) <> @prefix))
        ORDER BY id LIMIT @limit
        """;

    private const string UpdateProtected = """
        UPDATE trainees SET national_id_hash = @nationalIdHash, national_id_enc = @nationalIdEnc,
               passport_number_hash = @passportHash, passport_number_enc = @passportEnc
        WHERE id = @id
        """;

    public async Task SeedAsync(Db db, DatabaseOptions options, CancellationToken ct)
    {
        var prefix = protector.ActiveKid + ":";
        var (cleared, rotated) = (0, 0);
        while (true)
        {
            var done = await db.WriteAsync(async s =>
            {
                var rows = (await s.QueryAsync<PendingRow>(SelectPending, new { prefix, prefixLength = prefix.Length, limit = Chunk })).ToList();
                foreach (var row in rows)
                {
                    if ((row.NationalIdHash is not null && row.NationalIdEnc is null) || (row.PassportHash is not null && row.PassportEnc is null)) cleared++;
                    else rotated++;
                    var identity = new TraineeIdentity(
                        row.NationalIdHash is null ? null : row.NationalIdEnc is null ? row.NationalIdHash : protector.Decrypt(row.NationalIdEnc, TraineeRow.NationalIdPurpose),
                        row.PassportHash is null ? null : row.PassportEnc is null ? row.PassportHash : protector.Decrypt(row.PassportEnc, TraineeRow.PassportPurpose),
                        row.Nationality);
                    var (nationalIdHash, nationalIdEnc, passportHash, passportEnc) = trainees.Protect(identity);
                    await s.ExecuteAsync(UpdateProtected, new { id = row.Id, nationalIdHash, nationalIdEnc, passportHash, passportEnc });
                }
                return rows.Count < Chunk;
            }, ct);
            if (done) break;
        }
        if (cleared + rotated == 0) return;
        logger.LogInformation("Protected trainee identifiers: {Cleared} encrypted from clear values, {Rotated} re-encrypted under key {Kid}.",
            cleared, rotated, protector.ActiveKid);
        if (cleared > 0)
            await db.ReadAsync(async s =>
            {
                await db.Dialect.WaitForOlderTransactionsAsync(s, TimeSpan.FromMinutes(1));
                return await s.ExecuteScalarAsync<object>(db.Dialect.RewriteTablesSql("trainees"));
            }, ct);
    }
}
