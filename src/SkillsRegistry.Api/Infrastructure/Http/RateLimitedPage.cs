using System.Globalization;

namespace SkillsRegistry.Api.Infrastructure.Http;

/// <summary>Marks an endpoint people open in a browser: when rate-limited it answers with a readable page, not problem+json.</summary>
public sealed record HtmlRejectionPage;

/// <summary>The bilingual 429 page a phone shows when its address asked too often.</summary>
public static class RateLimitedPage
{
    public static bool Wants(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<HtmlRejectionPage>() is not null;

    public static Task WriteAsync(HttpContext http, int retryAfterSeconds)
    {
        var seconds = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var secondsFa = string.Concat(seconds.Select(c => (char)('۰' + (c - '0'))));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="fa" dir="rtl">
            <head>
            <meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><meta name="robots" content="noindex" />
            <title>درخواست‌های زیاد · Too many requests</title>
            <style>
              body { margin: 0; font-family: "Vazirmatn", "Noto Naskh Arabic", "Noto Sans Arabic", Tahoma, sans-serif; background: #f4f5f7; color: #1f1f1f; line-height: 1.6; }
              main { max-width: 34rem; margin: 0 auto; padding: 1rem; }
              .banner { border-radius: 12px; padding: 1rem 1.1rem; background: #a15c00; color: #fff; }
              .banner h1 { font-size: 1.4rem; margin: 0; }
              .en { display: block; direction: ltr; text-align: left; font-family: "Noto Sans", Roboto, Arial, sans-serif; }
            </style>
            </head>
            <body><main>
            <div class="banner" id="rate-limited">
              <h1>درخواست‌های زیاد · <bdi lang="en" dir="ltr">Too many requests</bdi></h1>
              <p>از این نشانی در مدت کوتاهی درخواست‌های زیادی رسیده است. لطفاً {{secondsFa}} ثانیه دیگر دوباره تلاش کنید.</p>
              <p class="en" lang="en" dir="ltr">This address asked too often in a short time. Try again in {{seconds}} s.</p>
            </div>
            <p>این به معنای نامعتبر بودن گواهینامه نیست. <span class="en" lang="en" dir="ltr">This says nothing about the certificate.</span></p>
            </main></body>
            </html>
            """);
    }
}
