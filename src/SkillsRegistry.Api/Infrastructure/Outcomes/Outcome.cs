namespace SkillsRegistry.Api.Infrastructure.Outcomes;

/// <summary>
/// What a repository or service returns when the request may be refused: either the value or a <see cref="Rejection"/>.
/// A write that returns a rejection from <c>Db.WriteAsync</c> is rolled back.
/// </summary>
public readonly struct Outcome<T>
{
    private readonly T? value;

    private Outcome(T? value, Rejection? rejection)
    {
        this.value = value;
        Rejection = rejection;
    }

    public Rejection? Rejection { get; }

    public bool Succeeded => Rejection is null;

    /// <summary>The value; only valid when <see cref="Succeeded"/>.</summary>
    public T Value => Succeeded ? value! : throw new InvalidOperationException("A rejected outcome has no value: " + Rejection!.Detail);

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Rejection rejection) => new(default, rejection);

    public Outcome<TOther> Map<TOther>(Func<T, TOther> map) => Succeeded ? map(value!) : Rejection!;
}

/// <summary>An outcome with no value: done, or refused.</summary>
public readonly struct Outcome
{
    private Outcome(Rejection? rejection) => Rejection = rejection;

    public static Outcome Done { get; } = new(null);

    public Rejection? Rejection { get; }

    public bool Succeeded => Rejection is null;

    public static implicit operator Outcome(Rejection rejection) => new(rejection);
}
