namespace SkillsRegistry.Api.Infrastructure.Http;

/// <summary>
/// One page of a list. <c>Total</c> counts every match, not only this page. The number travels as "page", the same
/// name as the query parameter that asks for it.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, [property: System.Text.Json.Serialization.JsonPropertyName("page")] int PageNumber, int PageSize, long Total);

public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Validates paging parameters; LIMIT/OFFSET values for SQL come back on success.</summary>
    public static (int Page, int Size, int Offset) Normalize(int? page, int? pageSize, ValidationErrors errors)
    {
        var p = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (p < 1) errors.Add("page", "Pages start at 1.");
        if (size < 1 || size > MaxPageSize) errors.Add("pageSize", $"Must be between 1 and {MaxPageSize}.");
        p = Math.Max(p, 1);
        size = Math.Clamp(size, 1, MaxPageSize);
        // A page far past the end is empty, not an overflowed (negative) OFFSET that PostgreSQL rejects.
        return (p, size, (int)Math.Min((long)(p - 1) * size, int.MaxValue));
    }

    /// <summary>
    /// A page of a list that is loaded whole because it belongs to one parent and stays small (a center's licences, a
    /// code's versions): the same shape and parameters as every other list.
    /// </summary>
    public static Page<T> Slice<T>(IReadOnlyList<T> all, int page, int size, int offset) =>
        new(all.Skip(offset).Take(size).ToList(), page, size, all.Count);
}
