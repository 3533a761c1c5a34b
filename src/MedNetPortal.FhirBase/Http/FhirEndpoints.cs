using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Bundles;
using MedNetPortal.FhirBase.Capabilities;
using MedNetPortal.FhirBase.Security;
using MedNetPortal.FhirBase.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MedNetPortal.FhirBase.Http;

/// <summary>
/// The REST routes. Each handler turns HTTP into an interaction call; <see cref="RunAsync"/> authenticates the bearer token
/// (every route but metadata and the SMART configuration), then turns the result or failure back.
/// </summary>
internal static class FhirEndpoints
{
    private const string Id = "{id:regex(^[A-Za-z0-9\\-\\.]{{1,64}}$)}";
    private const string Type = "{type:regex(^[A-Z][A-Za-z]{{1,63}}$)}";
    public const string FhirJsonContentType = "application/fhir+json; charset=utf-8";

    // ASP0016 misreads the inner handler lambdas (Task<FhirResult>) as the RequestDelegate; the delegates mapped return Task.
#pragma warning disable ASP0016
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/metadata", (HttpContext http) => RunAsync(http, (s, context, _) =>
            System.Threading.Tasks.Task.FromResult(new FhirResult(200, FhirJson.Serialize(
                s.GetRequiredService<CapabilityStatementBuilder>().Build(SmartConfiguration.TokenEndpoint(s, context.BaseUrl))))), anonymous: true));
        group.MapGet("/.well-known/smart-configuration", (HttpContext http) => RunAsync(http, (s, context, _) =>
            System.Threading.Tasks.Task.FromResult(new FhirResult(200, SmartConfiguration.Json(s, context.BaseUrl))), anonymous: true, contentType: "application/json; charset=utf-8"));
        group.MapPost("/", (HttpContext http) => RunAsync(http, async (s, context, ct) =>
        {
            var resource = await FhirRequestReader.ReadResourceAsync(http, MaxBytes(s), ct);
            if (resource is not Bundle bundle)
            {
                throw FhirException.BadRequest($"POST to the base takes a batch or transaction Bundle, not a {resource.TypeName}.", "resourceType");
            }
            return await s.GetRequiredService<BundleProcessor>().ProcessAsync(bundle, context, ct);
        }));
        group.MapGet("/_history", (HttpContext http) => RunAsync(http, (s, context, ct) =>
            Interactions(s).HistoryAsync(null, null, FhirRequestReader.QueryPairs(http.Request.Query), context, ct)));
        group.MapGet($"/{Type}", (HttpContext http, string type) => RunAsync(http, (s, context, ct) =>
            Interactions(s).SearchAsync(type, FhirRequestReader.QueryPairs(http.Request.Query), context, ct)));
        group.MapPost($"/{Type}/_search", (HttpContext http, string type) => RunAsync(http, async (s, context, ct) =>
        {
            FhirInteractions.RequireType(type);
            var query = await FhirRequestReader.ReadSearchFormAsync(http, MaxBytes(s), ct);
            return await Interactions(s).SearchAsync(type, query, context, ct);
        }));
        group.MapPost($"/{Type}", (HttpContext http, string type) => RunAsync(http, async (s, context, ct) =>
        {
            FhirInteractions.RequireType(type);
            var ifNoneExist = http.Request.Headers["If-None-Exist"].FirstOrDefault();
            // Refused before the body is read: a client without the scope learns nothing from validation errors.
            InteractionScopes.RequireCreate(type, ifNoneExist, context.Access);
            var resource = await FhirRequestReader.ReadResourceAsync(http, MaxBytes(s), ct);
            return await Interactions(s).CreateAsync(type, resource, ifNoneExist, context, ct);
        }));
        group.MapGet($"/{Type}/_history", (HttpContext http, string type) => RunAsync(http, (s, context, ct) =>
            Interactions(s).HistoryAsync(type, null, FhirRequestReader.QueryPairs(http.Request.Query), context, ct)));
        group.MapGet($"/{Type}/{Id}", (HttpContext http, string type, string id) => RunAsync(http, (s, context, ct) =>
            Interactions(s).ReadAsync(type, id, context, ct)));
        group.MapPut($"/{Type}/{Id}", (HttpContext http, string type, string id) => RunAsync(http, async (s, context, ct) =>
        {
            FhirInteractions.RequireType(type);
            InteractionScopes.RequireUpdate(type, context.Access);
            var resource = await FhirRequestReader.ReadResourceAsync(http, MaxBytes(s), ct);
            return await Interactions(s).UpdateAsync(type, id, resource, http.Request.Headers.IfMatch.FirstOrDefault(), context, ct);
        }));
        group.MapDelete($"/{Type}/{Id}", (HttpContext http, string type, string id) => RunAsync(http, (s, context, ct) =>
            Interactions(s).DeleteAsync(type, id, context, ct)));
        group.MapGet($"/{Type}/{Id}/_history", (HttpContext http, string type, string id) => RunAsync(http, (s, context, ct) =>
            Interactions(s).HistoryAsync(type, id, FhirRequestReader.QueryPairs(http.Request.Query), context, ct)));
        group.MapGet($"/{Type}/{Id}/_history/{{vid}}", (HttpContext http, string type, string id, string vid) => RunAsync(http, (s, context, ct) =>
            Interactions(s).ReadVersionAsync(type, id, vid, context, ct)));
        group.Map("/{**rest}", (HttpContext http, string? rest) => RunAsync(http, (_, _, _) => throw Unmatched(http, rest)));
    }
#pragma warning restore ASP0016

    private static FhirInteractions Interactions(IServiceProvider services) => services.GetRequiredService<FhirInteractions>();

    private static long MaxBytes(IServiceProvider services) => services.GetRequiredService<IOptions<FhirBaseOptions>>().Value.MaxRequestBodyBytes;

    private static async System.Threading.Tasks.Task RunAsync(
        HttpContext http,
        Func<IServiceProvider, FhirContext, CancellationToken, Task<FhirResult>> handler,
        bool anonymous = false,
        string contentType = FhirJsonContentType)
    {
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<FhirBaseOptions>>().Value;
        var ct = http.RequestAborted;
        FhirResult result;
        try
        {
            // Who is asking comes first: an anonymous caller learns nothing, not even whether a route or format exists.
            var access = anonymous ? FhirAccess.None : await FhirBaseAuthentication.AuthenticateAsync(http);
            CheckAccept(http.Request);
            var context = new FhirContext(
                $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{options.PathBase.TrimEnd('/')}",
                http.Request.Headers["Prefer"].Any(p => p?.Contains("handling=strict", StringComparison.OrdinalIgnoreCase) == true),
                access);
            result = await handler(services, context, ct);
            if (result.Status < 400)
            {
                // After the request's writes are committed: the documents it stored get their DocumentReference and Task,
                // and the Organizations and Patients it stored the references that named them only by identifier.
                await services.GetRequiredService<DocumentRegistrar>().RegisterWrittenAsync(ct);
                await services.GetRequiredService<ReferenceRelinker>().RelinkWrittenAsync(ct);
            }
        }
        catch (FhirException e)
        {
            result = Failure(e.Status, e.Outcome);
            if (e.Status == 405)
            {
                http.Response.Headers.Allow = e.Data["Allow"] as string;
            }
            if (e.Data[FhirBaseAuthentication.WwwAuthenticate] is string challenge)
            {
                http.Response.Headers.WWWAuthenticate = challenge;
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            result = Failure(409, Outcomes.Error(OperationOutcome.IssueType.Conflict, "The resource was changed by another request at the same time; retry."));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            result = Failure(413, Outcomes.Error(OperationOutcome.IssueType.TooCostly, "The request body is too large."));
        }
        catch (BadHttpRequestException)
        {
            result = Failure(400, Outcomes.Error(OperationOutcome.IssueType.Structure, "The request could not be read."));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // The base promises an OperationOutcome for every failure, including its own bugs.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Type and stack only: messages can quote request content, which holds personal data.
            services.GetRequiredService<ILoggerFactory>().CreateLogger("MedNetPortal.FhirBase")
                .LogError("Unhandled {ExceptionType} in {Method} {Endpoint}: {StackTrace}",
                    e.GetType().FullName, http.Request.Method, http.GetEndpoint()?.DisplayName, e.StackTrace);
            result = Failure(500, Outcomes.Error(OperationOutcome.IssueType.Exception, "The server failed to process the request; the failure was logged."));
        }
        await WriteAsync(http, result, options, result.Status < 400 ? contentType : FhirJsonContentType, ct);
    }

    private static FhirResult Failure(int status, OperationOutcome outcome) => new(status, FhirJson.Serialize(outcome));

    private static async System.Threading.Tasks.Task WriteAsync(HttpContext http, FhirResult result, FhirBaseOptions options, string contentType, CancellationToken ct)
    {
        var response = http.Response;
        response.StatusCode = result.Status;
        if (result.Resource is { } stored)
        {
            response.Headers.ETag = stored.ETag;
            response.Headers.LastModified = stored.LastUpdated.ToString("R", CultureInfo.InvariantCulture);
            if (result.IncludeLocation)
            {
                response.Headers.Location =
                    $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{options.PathBase.TrimEnd('/')}/{stored.VersionPath}";
            }
        }
        if (result.Body is not null)
        {
            response.ContentType = contentType;
            await response.WriteAsync(result.Body, ct);
        }
    }

    private static void CheckAccept(HttpRequest request)
    {
        var format = request.Query["_format"].FirstOrDefault();
        if (format is not null && !format.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new FhirException(406, OperationOutcome.IssueType.NotSupported, $"_format={format} is not supported; this server speaks JSON only.", "_format");
        }
        var accept = request.Headers.Accept.ToString();
        if (format is null && accept.Length > 0
            && !accept.Contains("json", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("*/*", StringComparison.Ordinal)
            && !accept.Contains("application/*", StringComparison.OrdinalIgnoreCase))
        {
            throw new FhirException(406, OperationOutcome.IssueType.NotSupported,
                "The Accept header asks for a format this server does not produce; it speaks application/fhir+json only.", "Accept");
        }
    }

    /// <summary>No route matched: 405 when the path has a known shape but not for this method, else 404.</summary>
    private static FhirException Unmatched(HttpContext http, string? rest)
    {
        var segments = (rest ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? allow = segments switch
        {
            [] => "POST",
            ["metadata"] => "GET",
            ["_history"] => "GET",
            [_] => "GET, POST",
            [_, "_search"] => "POST",
            [_, "_history"] => "GET",
            [_, _] => "GET, PUT, DELETE",
            [_, _, "_history"] => "GET",
            [_, _, "_history", _] => "GET",
            _ => null,
        };
        if (segments.Length >= 1 && segments[0] is not ("metadata" or "_history") && !Search.SearchParameterRegistry.TryGet(segments[0], out _))
        {
            return new FhirException(404, OperationOutcome.IssueType.NotSupported, $"Resource type '{segments[0]}' is not supported by this server.");
        }
        if (allow is not null && !allow.Split(", ").Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            var e = new FhirException(405, OperationOutcome.IssueType.NotSupported, $"{http.Request.Method} is not allowed here; allowed: {allow}.");
            e.Data["Allow"] = allow;
            return e;
        }
        return new FhirException(404, OperationOutcome.IssueType.NotFound, "No such FHIR endpoint, or the id is not a valid FHIR id.");
    }
}
