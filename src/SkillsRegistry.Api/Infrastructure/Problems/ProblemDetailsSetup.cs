using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace SkillsRegistry.Api.Infrastructure.Problems;

public static class ProblemDetailsSetup
{
    public static IServiceCollection AddRegistryProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Customize);
        // Registered after the default writer, so it is used only when that one declines: a client whose Accept header
        // names no JSON type (text/csv, text/html, application/xml) still gets its problem instead of a 500.
        services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemDetailsWriter>();
        services.AddExceptionHandler<RegistryExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    private static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        problem.Instance ??= http.Request.Path;
        // Statuses ASP.NET Core has no type link for still get one, so every problem names its kind (RFC 9457 §3.1).
        problem.Type ??= problem.Status switch
        {
            428 => "https://www.rfc-editor.org/rfc/rfc6585#section-3",
            429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
            _ => "about:blank",
        };
        problem.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
        problem.Detail ??= problem.Status switch
        {
            404 => $"There is nothing at {http.Request.Method} {http.Request.Path}. The API lives under /api/v1; see /swagger.",
            405 => $"{http.Request.Path} does not accept {http.Request.Method}.",
            415 => "Send the request body as application/json (Content-Type: application/json).",
            406 => "This resource cannot be represented in the media type named in the Accept header.",
            _ => null,
        };
    }
}

/// <summary>The last-resort problem writer: always application/problem+json, whatever the request accepts (RFC 9457 §3).</summary>
public sealed class AnyAcceptProblemDetailsWriter(IOptions<ProblemDetailsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json"));
    }
}

/// <summary>Maps exceptions to problem details: bad requests keep their reason, anything else is a 500 without internals.</summary>
public sealed class RegistryExceptionHandler(IProblemDetailsService problems, IHostEnvironment environment, ILogger<RegistryExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad, context),
            // PostgreSQL cannot store U+0000 in text (SQLite can): the client sent it, so it is the client's to fix.
            Npgsql.PostgresException { SqlState: "22021" } => new ProblemDetails
            {
                Status = 400,
                Title = "Bad request",
                Detail = "The request holds a character the registry cannot store (U+0000, the NUL character) in a text value or query parameter. Remove it and send the request again.",
            },
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };
        if (problem is null)
        {
            if (context.RequestAborted.IsCancellationRequested) return true;
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = 500,
                Title = ProblemTitles.Of(500),
                Detail = environment.IsDevelopment()
                    ? exception.ToString()
                    : "The registry could not complete this request. Nothing was saved unless a response said so; quote the traceId when reporting it.",
            };
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad, HttpContext context)
    {
        // The exception handler runs with the endpoint cleared; the feature remembers it.
        var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        if (bad.StatusCode == 413)
            return new ProblemDetails { Status = 413, Title = ProblemTitles.Of(413), Detail = bad.Message };
        if (bad.InnerException is JsonException json)
        {
            var field = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
            var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
            var reason = JsonReason(json, field, endpoint);
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason] })
            {
                Status = 400,
                Title = "Malformed JSON",
                Detail = $"The request body is not valid JSON for this operation at {field}{where}: {reason}",
            };
        }
        if (FieldForms.BindingFailure().Match(bad.Message) is { Success: true } binding)
        {
            var name = binding.Groups["name"].Value;
            var expected = FieldForms.Describe(FieldForms.ParameterType(endpoint, name));
            var message = binding.Groups["value"].Success
                ? $"Expected {expected}."
                : $"Required: {expected}.";
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [name] = [message] })
            {
                Status = 400,
                Title = "Invalid parameter",
                Detail = $"The parameter '{name}' is not valid: {message}",
            };
        }
        return new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = NoTypeNames(bad.Message) };
    }

    /// <summary>
    /// The reader's own words for a syntax error ("'}' is invalid after a property name"); for a value of the wrong type,
    /// the form the field takes. Never a .NET type name.
    /// </summary>
    private static string JsonReason(JsonException json, string field, Endpoint? endpoint)
    {
        var reason = json.Message.Split(" Path:")[0];
        var conversion = reason.Contains("could not be converted", StringComparison.Ordinal);
        if (!conversion && !LooksLikeTypeName(reason)) return reason;
        var body = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType
            ?? endpoint?.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters()
                .FirstOrDefault(p => p.ParameterType.IsClass && p.ParameterType != typeof(string) && !p.ParameterType.IsAbstract
                    && p.ParameterType.Namespace?.StartsWith("SkillsRegistry", StringComparison.Ordinal) == true
                    && p.ParameterType.Name.EndsWith("Request", StringComparison.Ordinal))?.ParameterType;
        return $"Expected {FieldForms.Describe(FieldForms.TypeAt(body, field))}.";
    }

    private static bool LooksLikeTypeName(string text) =>
        text.Contains("System.", StringComparison.Ordinal) || text.Contains("SkillsRegistry.", StringComparison.Ordinal)
        || text.Contains('`') || text.Contains("Nullable<", StringComparison.Ordinal);

    private static string NoTypeNames(string message) =>
        LooksLikeTypeName(message) ? "The request could not be read. Check it against the API documentation (/swagger)." : message;
}

/// <summary>Rejects bodies above the limit before they are read, with a problem that says the limit.</summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, long maxBytes)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            await ProblemWriter.WriteAsync(context, 413,
                $"The request body is {context.Request.ContentLength} bytes; the limit is {maxBytes} bytes. Split the data into smaller requests.");
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = maxBytes;
        await next(context);
    }
}
