using System.Diagnostics;

namespace MedNetPortal.Web.Host.Hosting;

/// <summary>
/// One line per request with method, path, status and duration, never the query string: searches may carry identifiers,
/// which are personal data. The framework's own request logging (which includes query strings) stays at Warning in appsettings,
/// as does <c>System.Net.Http.HttpClient</c>, whose request lines would show the FHIR search URLs.
/// </summary>
internal static partial class RequestPathLogging
{
    public static IApplicationBuilder UseRequestPathLogging(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MedNetPortal.Web.Requests");
                Log.Request(
                    logger,
                    context.Request.Method,
                    context.Request.PathBase.Add(context.Request.Path).Value ?? "/",
                    context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0} ms")]
        public static partial void Request(ILogger logger, string method, string path, int statusCode, double elapsedMs);
    }
}
