namespace SkillsRegistry.Api.Features.Holders;

/// <summary>The holders feature's SQL: access codes, sessions, the holder's record and read log, shares and their views.</summary>
internal static class HolderSql
{
    internal const string SelectTraineeExists = "SELECT COUNT(*) FROM trainees WHERE id = @traineeId";

    internal const string InsertCode = """
        INSERT INTO holder_access_codes (id, trainee_id, code_hash, issued_by_key_id, issued_by_center_id, created_at, expires_at)
        VALUES (@Id, @TraineeId, @CodeHash, @KeyId, @CenterId, @Now, @ExpiresAt)
        """;

    /// <summary>Retires the person's oldest live codes beyond @alive (the newest stay).</summary>
    internal const string RetireOldCodes = """
        UPDATE holder_access_codes SET retired_at = @Now, retired_reason = 'replaced'
        WHERE trainee_id = @TraineeId AND retired_at IS NULL AND expires_at > @Now
          AND id NOT IN (SELECT id FROM holder_access_codes
                         WHERE trainee_id = @TraineeId AND retired_at IS NULL AND expires_at > @Now
                         ORDER BY created_at DESC, id DESC LIMIT @Alive)
        """;

    internal const string SelectCodeByHash = """
        SELECT c.id AS Id, c.trainee_id AS TraineeId, c.expires_at AS ExpiresAt, c.retired_at AS RetiredAt, t.birth_date AS BirthDate
        FROM holder_access_codes c JOIN trainees t ON t.id = c.trainee_id WHERE c.code_hash = @hash
        """;

    /// <summary>One more wrong birth date; the code is burned at @limit. Returns the code's retirement reason (null while alive).</summary>
    internal const string CountWrongBirthDate = """
        UPDATE holder_access_codes
        SET wrong_birth_dates = wrong_birth_dates + 1,
            retired_at = CASE WHEN wrong_birth_dates + 1 >= @limit THEN @now ELSE retired_at END,
            retired_reason = CASE WHEN wrong_birth_dates + 1 >= @limit THEN 'burned' ELSE retired_reason END
        WHERE id = @id AND retired_at IS NULL
        RETURNING retired_reason
        """;

    /// <summary>Single use: only one exchange can retire a live code.</summary>
    internal const string UseCode = """
        UPDATE holder_access_codes SET retired_at = @now, retired_reason = 'used'
        WHERE id = @id AND retired_at IS NULL AND expires_at > @now
        """;

    internal const string InsertSession = """
        INSERT INTO holder_sessions (id, trainee_id, token_hash, created_at, last_seen_at, expires_at)
        VALUES (@Id, @TraineeId, @TokenHash, @Now, @Now, @ExpiresAt)
        """;

    internal const string SelectSessionByHash = """
        SELECT id AS Id, trainee_id AS TraineeId, last_seen_at AS LastSeenAt, expires_at AS ExpiresAt, ended_at AS EndedAt
        FROM holder_sessions WHERE token_hash = @hash
        """;

    internal const string TouchSession = "UPDATE holder_sessions SET last_seen_at = @now WHERE id = @id AND ended_at IS NULL";
    internal const string EndSession = "UPDATE holder_sessions SET ended_at = @now WHERE id = @id AND ended_at IS NULL";

    internal const string SelectRecord = """
        SELECT id AS Id, national_id_enc AS NationalIdEnc, passport_number_enc AS PassportNumberEnc, nationality AS Nationality,
               given_name_fa AS GivenNameFa, family_name_fa AS FamilyNameFa, given_name_latin AS GivenNameLatin,
               family_name_latin AS FamilyNameLatin, birth_date AS BirthDate, gender AS Gender
        FROM trainees WHERE id = @personId
        """;

    private const string ReadsOf = """
        FROM audit_subjects s JOIN audit_log a ON a.seq = s.seq
        LEFT JOIN training_centers c ON c.id = a.actor_center_id
        LEFT JOIN partner_agencies p ON p.id = a.actor_partner_id
        WHERE s.person_id = @personId AND a.action = 'read' AND a.actor_role <> 'holder'
        """;

    internal const string SelectReads = $"""
        SELECT a.occurred_at AS ReadAt, a.actor_role AS ActorRole, c.name_fa AS CenterNameFa, c.name_en AS CenterNameEn,
               p.name_fa AS PartnerNameFa, p.name_en AS PartnerNameEn, a.changes AS Changes
        {ReadsOf} ORDER BY a.seq DESC LIMIT @limit OFFSET @offset
        """;

    internal const string CountReads = $"SELECT COUNT(*) {ReadsOf}";

    internal const string InsertShare = """
        INSERT INTO holder_shares (id, trainee_id, token_hash, whole_transcript, recipient_label, created_at, expires_at)
        VALUES (@Id, @TraineeId, @TokenHash, @WholeTranscript, @RecipientLabel, @Now, @ExpiresAt)
        """;

    /// <summary>Only the holder's own certificates get in: the caller compares what came back with what was asked.</summary>
    internal const string InsertShareCertificates = """
        INSERT INTO holder_share_certificates (share_id, certificate_id)
        SELECT @shareId, id FROM certificates WHERE trainee_id = @personId AND id IN @ids
        RETURNING certificate_id
        """;

    private const string ShareColumns = """
        h.id AS Id, h.trainee_id AS TraineeId, h.whole_transcript AS WholeTranscript, h.recipient_label AS RecipientLabel,
        h.created_at AS CreatedAt, h.expires_at AS ExpiresAt, h.revoked_at AS RevokedAt,
        (SELECT COUNT(*) FROM holder_share_views v WHERE v.share_id = h.id) AS ViewCount,
        (SELECT MAX(v.viewed_at) FROM holder_share_views v WHERE v.share_id = h.id) AS LastViewedAt
        """;

    internal const string SelectSharesOf = $"""
        SELECT {ShareColumns} FROM holder_shares h WHERE h.trainee_id = @personId
        ORDER BY h.created_at DESC, h.id DESC LIMIT @limit OFFSET @offset
        """;

    internal const string CountSharesOf = "SELECT COUNT(*) FROM holder_shares WHERE trainee_id = @personId";
    internal const string SelectOwnShare = $"SELECT {ShareColumns} FROM holder_shares h WHERE h.id = @id AND h.trainee_id = @personId";
    internal const string SelectShareByHash = $"SELECT {ShareColumns} FROM holder_shares h WHERE h.token_hash = @hash";

    /// <summary>The numbers shown by each share of a set (a whole-transcript share: every certificate of the person).</summary>
    internal const string SelectShareNumbers = """
        SELECT h.id AS ShareId, c.number AS Number, c.token AS Token
        FROM holder_shares h
        JOIN certificates c ON c.trainee_id = h.trainee_id
        WHERE h.id IN @ids
          AND (h.whole_transcript OR EXISTS (SELECT 1 FROM holder_share_certificates sc WHERE sc.share_id = h.id AND sc.certificate_id = c.id))
        ORDER BY c.issued_at DESC, c.id DESC
        """;

    internal const string RevokeShare = "UPDATE holder_shares SET revoked_at = @now WHERE id = @id AND trainee_id = @personId AND revoked_at IS NULL";

    internal const string SelectViews = """
        SELECT v.viewed_at AS ViewedAt, v.origin AS Origin FROM holder_share_views v JOIN holder_shares h ON h.id = v.share_id
        WHERE v.share_id = @id AND h.trainee_id = @personId ORDER BY v.viewed_at DESC, v.id DESC LIMIT @limit OFFSET @offset
        """;

    internal const string CountViews = """
        SELECT COUNT(*) FROM holder_share_views v JOIN holder_shares h ON h.id = v.share_id WHERE v.share_id = @id AND h.trainee_id = @personId
        """;

    internal const string InsertView = "INSERT INTO holder_share_views (id, share_id, viewed_at, origin) VALUES (@Id, @ShareId, @Now, @Origin)";

    internal const string SelectHolderNames = """
        SELECT given_name_fa AS GivenNameFa, family_name_fa AS FamilyNameFa, given_name_latin AS GivenNameLatin, family_name_latin AS FamilyNameLatin
        FROM trainees WHERE id = @personId
        """;
}
