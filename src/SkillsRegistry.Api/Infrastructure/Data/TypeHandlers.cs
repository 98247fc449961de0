using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SkillsRegistry.Api.Infrastructure.Data;

/// <summary>
/// SQLite stores Guid, DateTimeOffset and DateOnly as TEXT; PostgreSQL has native types.
/// Dapper's handlers are process-wide, so each handler serves both providers.
/// </summary>
public static class TypeHandlers
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        // Dapper sends types it knows natively without asking a handler; forget them so the handlers decide.
        foreach (var type in new[] { typeof(Guid), typeof(Guid?), typeof(DateTimeOffset), typeof(DateTimeOffset?), typeof(DateOnly), typeof(DateOnly?) })
            SqlMapper.RemoveTypeMap(type);
        SqlMapper.AddTypeHandler(typeof(Guid), new GuidHandler());
        SqlMapper.AddTypeHandler(typeof(DateTimeOffset), new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(typeof(DateOnly), new DateOnlyHandler());
    }

    /// <summary>
    /// Also types NULLs: PostgreSQL cannot infer "@x IS NULL" from an untyped parameter, so a null Guid? still
    /// travels as a uuid, a null DateOnly? as a date.
    /// </summary>
    private abstract class Handler<T>(DbType nativeType) : SqlMapper.ITypeHandler where T : struct
    {
        public void SetValue(IDbDataParameter parameter, object value)
        {
            var sqlite = parameter is SqliteParameter;
            parameter.DbType = sqlite ? DbType.String : nativeType;
            parameter.Value = value is DBNull or null ? DBNull.Value : sqlite ? ToText((T)value) : ToNative((T)value);
        }

        public object Parse(Type destinationType, object value) => Parse(value);

        protected abstract string ToText(T value);
        protected virtual object ToNative(T value) => value;
        protected abstract T Parse(object value);
    }

    private sealed class GuidHandler() : Handler<Guid>(DbType.Guid)
    {
        protected override string ToText(Guid value) => value.ToString();

        protected override Guid Parse(object value) => value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            byte[] b => new Guid(b),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as Guid"),
        };
    }

    private sealed class DateTimeOffsetHandler() : Handler<DateTimeOffset>(DbType.DateTimeOffset)
    {
        // Fixed-width UTC text sorts and compares correctly as a string.
        protected override string ToText(DateTimeOffset value) =>
            value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        protected override object ToNative(DateTimeOffset value) => value.ToUniversalTime();

        protected override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as DateTimeOffset"),
        };
    }

    private sealed class DateOnlyHandler() : Handler<DateOnly>(DbType.Date)
    {
        protected override string ToText(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        protected override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime d => DateOnly.FromDateTime(d),
            string s => DateOnly.ParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as DateOnly"),
        };
    }
}
