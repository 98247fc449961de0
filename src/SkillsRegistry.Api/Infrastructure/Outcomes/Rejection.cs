namespace SkillsRegistry.Api.Infrastructure.Outcomes;

/// <summary>Why a request was refused, in the domain's terms. It knows nothing of HTTP; endpoints map it in one place.</summary>
public enum RejectionKind
{
    /// <summary>The request's form is wrong (a field, a reference to something that does not exist in a list).</summary>
    Invalid,
    /// <summary>The request is well formed but breaks a rule of the registry (a state, a date, a score).</summary>
    Unprocessable,
    NotFound,
    /// <summary>The caller may not do this to this object.</summary>
    Forbidden,
    /// <summary>Another record already holds the identity, or the object's state does not allow the change.</summary>
    Conflict,
    /// <summary>The caller's copy is out of date (optimistic concurrency); <see cref="Rejection.CurrentVersion"/> is the stored one.</summary>
    Stale,
    /// <summary>The caller must say which version it read before it may change the object.</summary>
    VersionRequired,
    TooLarge,
    /// <summary>The registry cannot do this right now (a busy or missing engine); the same request may succeed later.</summary>
    Unavailable,
}

/// <summary>An expected failure: what kind, a sentence the client can act on, and per-field messages where a field is at fault.</summary>
public sealed record Rejection(
    RejectionKind Kind,
    string Detail,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null,
    long? CurrentVersion = null)
{
    /// <summary>A title more specific than the one every refusal of this kind gets; null for that one.</summary>
    public string? Title { get; init; }

    public static Rejection NotFound(string detail) => new(RejectionKind.NotFound, detail);
    public static Rejection Forbidden(string detail) => new(RejectionKind.Forbidden, detail);
    public static Rejection Conflict(string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(RejectionKind.Conflict, detail, Extensions: extensions);
    public static Rejection Unprocessable(string detail) => new(RejectionKind.Unprocessable, detail);
    public static Rejection VersionRequired(string detail) => new(RejectionKind.VersionRequired, detail);
    public static Rejection TooLarge(string detail) => new(RejectionKind.TooLarge, detail);
    public static Rejection Unavailable(string detail) => new(RejectionKind.Unavailable, detail);

    /// <summary>The stored version moved on; endpoints tell the client the version (ETag) to read again.</summary>
    public static Rejection Stale(long currentVersion) =>
        new(RejectionKind.Stale, $"The record changed since it was read; its current version is {currentVersion}.", CurrentVersion: currentVersion);

    /// <summary>One field is malformed or names something unknown (a bad request).</summary>
    public static Rejection InvalidField(string field, string message) =>
        new(RejectionKind.Invalid, $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>One field breaks a rule of the registry (well formed, but not acceptable now).</summary>
    public static Rejection UnprocessableField(string field, string message) =>
        new(RejectionKind.Unprocessable, $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Several fields at fault at once.</summary>
    public static Rejection InvalidFields(IReadOnlyDictionary<string, string[]> errors, string? detail = null) =>
        new(RejectionKind.Invalid,
            detail ?? "The request has invalid fields: " + string.Join(", ", errors.Keys) + ". See errors for each field.", errors);
}
