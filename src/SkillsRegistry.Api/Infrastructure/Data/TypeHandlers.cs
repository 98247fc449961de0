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
        SqlMapper.AddTypeHandler(new GuidHandler());
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
    }

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is SqliteParameter) { parameter.DbType = DbType.String; parameter.Value = value.ToString(); }
            else { parameter.DbType = DbType.Guid; parameter.Value = value; }
        }

        public override Guid Parse(object value) => value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            byte[] b => new Guid(b),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as Guid"),
        };
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            var utc = value.ToUniversalTime();
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                // Fixed-width UTC text sorts and compares correctly as a string.
                parameter.Value = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            }
            else { parameter.DbType = DbType.DateTimeOffset; parameter.Value = utc; }
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as DateTimeOffset"),
        };
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
            else { parameter.DbType = DbType.Date; parameter.Value = value; }
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime d => DateOnly.FromDateTime(d),
            string s => DateOnly.ParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as DateOnly"),
        };
    }
}
