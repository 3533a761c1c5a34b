using System.Linq.Expressions;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Http;
using MedNetPortal.FhirBase.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.FhirBase.Search;

/// <summary>
/// One page of a search: the matches, then what they <c>_include</c> (not counted against <c>_count</c>), then
/// <c>_revinclude</c>d resources (counted together with the matches against <c>_count</c>).
/// </summary>
internal sealed record SearchPage(
    int Total,
    IReadOnlyList<StoredResource> Matches,
    IReadOnlyList<StoredResource> Included,
    int Offset,
    int Count,
    bool HasNext);

/// <summary>Translates a <see cref="SearchRequest"/> into queries over the index tables.</summary>
internal sealed class SearchExecutor(FhirBaseDbContext db, IOptions<FhirBaseOptions> options)
{
    /// <summary>At most this many <c>_include</c>d resources on one page (a guard; every match names only a few).</summary>
    private int MaxIncludes => options.Value.MaxPageSize;

    public async Task<SearchPage> ExecuteAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var matches = await FilterAsync(request, cancellationToken);
        var total = await matches.CountAsync(cancellationToken);
        if (request.SummaryCount)
        {
            return new SearchPage(total, [], [], 0, 0, false);
        }
        var included = RevIncludes(request, matches);
        var includedTotal = included is null ? 0 : await included.CountAsync(cancellationToken);
        var pageMatches = new List<StoredResource>();
        var pageSeqs = new List<long>();
        if (request.Offset < total && request.Count > 0)
        {
            var rows = await Sort(matches, request).Skip(request.Offset).Take(request.Count).AsNoTracking().ToListAsync(cancellationToken);
            pageMatches.AddRange(rows.Select(StoredResource.From));
            pageSeqs.AddRange(rows.Select(r => r.Seq));
        }
        var pageIncluded = new List<StoredResource>();
        var includedSeqs = new HashSet<long>();
        if (request.Includes.Count > 0 && pageSeqs.Count > 0)
        {
            // _include: what this page's matches reference (as R4 says), on the same page and not counted in _count.
            var rows = await Includes(request, matches.Where(r => pageSeqs.Contains(r.Seq)))
                .OrderBy(r => r.Seq).Take(MaxIncludes).AsNoTracking().ToListAsync(cancellationToken);
            pageIncluded.AddRange(rows.Select(StoredResource.From));
            includedSeqs.UnionWith(rows.Select(r => r.Seq));
        }
        var room = request.Count - pageMatches.Count;
        if (included is not null && room > 0)
        {
            var skip = Math.Max(0, request.Offset - total);
            var rows = await included.OrderBy(r => r.Seq).Skip(skip).Take(room).AsNoTracking().ToListAsync(cancellationToken);
            pageIncluded.AddRange(rows.Where(r => !includedSeqs.Contains(r.Seq)).Select(StoredResource.From));
        }
        var hasNext = request.Count > 0 && (long)request.Offset + request.Count < (long)total + includedTotal;
        return new SearchPage(total, pageMatches, pageIncluded, request.Offset, request.Count, hasNext);
    }

    /// <summary>The matching current, non-deleted resources, unordered.</summary>
    public async Task<IQueryable<ResourceRow>> FilterAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var type = request.Type;
        var query = db.Resources.Where(r => r.Type == type && !r.Deleted);
        foreach (var criterion in request.Criteria)
        {
            query = criterion.Name switch
            {
                "_id" => query.Where(IdPredicate(criterion.Values)),
                "_lastUpdated" => query.Where(Predicates.Or(criterion.Values.Select(v => LastUpdatedPredicate(ParseDate(criterion.Name, v))))),
                _ when type == "Bundle" && criterion.Parameter!.IndexKey == DocumentIndex.SubjectReferenceKey =>
                    query.Where(await DocumentSubjectPredicateAsync(criterion, cancellationToken)),
                _ => query.Where(IndexPredicate(type, criterion)),
            };
        }
        return query;
    }

    private static Expression<Func<ResourceRow, bool>> IdPredicate(IReadOnlyList<string> ids) => r => ids.Contains(r.Id);

    private Expression<Func<ResourceRow, bool>> IndexPredicate(string type, SearchCriterion criterion)
    {
        var p = criterion.Parameter!;
        var key = p.IndexKey;
        switch (p.Kind)
        {
            case SearchParamKind.Token:
            {
                var seqs = db.Tokens.Where(t => t.ResourceType == type && t.Param == key).Where(Predicates.Or(criterion.Values.Select(TokenPredicate)))
                    .Select(t => t.ResourceSeq);
                return r => seqs.Contains(r.Seq);
            }
            case SearchParamKind.String:
            {
                var exact = criterion.Modifier == "exact";
                var seqs = db.Strings.Where(t => t.ResourceType == type && t.Param == key)
                    .Where(Predicates.Or(criterion.Values.Select(v => StringPredicate(IndexExtractor.NormalizeString(v), exact))))
                    .Select(t => t.ResourceSeq);
                return r => seqs.Contains(r.Seq);
            }
            case SearchParamKind.Date:
            {
                var seqs = db.Dates.Where(t => t.ResourceType == type && t.Param == key)
                    .Where(Predicates.Or(criterion.Values.Select(v => DatePredicate(ParseDate(criterion.Name, v)))))
                    .Select(t => t.ResourceSeq);
                return r => seqs.Contains(r.Seq);
            }
            default:
            {
                var seqs = db.References.Where(t => t.ResourceType == type && t.Param == key)
                    .Where(Predicates.Or(criterion.Values.Select(v => ReferencePredicate(criterion.Name, v))))
                    .Select(t => t.ResourceSeq);
                return r => seqs.Contains(r.Seq);
            }
        }
    }

    /// <summary>
    /// <c>Bundle?composition.patient=Patient/123</c>: documents whose subject is that Patient, either literally or because the
    /// document's Patient carries one of the stored Patient's identifiers.
    /// </summary>
    private async Task<Expression<Func<ResourceRow, bool>>> DocumentSubjectPredicateAsync(SearchCriterion criterion, CancellationToken cancellationToken)
    {
        var ids = criterion.Values.Select(v => ParseReferenceValue(criterion.Name, v)).Select(t => t.Id).ToList();
        var identifiers = new List<(string System, string Code)>();
        var patients = await db.Resources.AsNoTracking().Where(r => r.Type == "Patient" && !r.Deleted && ids.Contains(r.Id)).ToListAsync(cancellationToken);
        foreach (var row in patients)
        {
            if (FhirJson.Parse(row.Json!) is Patient patient)
            {
                identifiers.AddRange(patient.Identifier.Where(i => i.Value is not null).Select(i => (i.System ?? string.Empty, i.Value!)));
            }
        }
        var byReference = db.References.Where(t => t.ResourceType == "Bundle" && t.Param == DocumentIndex.SubjectReferenceKey && ids.Contains(t.TargetId))
            .Select(t => t.ResourceSeq);
        if (identifiers.Count == 0)
        {
            return r => byReference.Contains(r.Seq);
        }
        var byIdentifier = db.Tokens.Where(t => t.ResourceType == "Bundle" && t.Param == DocumentIndex.SubjectIdentifierKey)
            .Where(Predicates.Or(identifiers.Select(i => TokenPredicate($"{i.System}|{i.Code}"))))
            .Select(t => t.ResourceSeq);
        return r => byReference.Contains(r.Seq) || byIdentifier.Contains(r.Seq);
    }

    private static Expression<Func<TokenIndexRow, bool>> TokenPredicate(string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            return t => t.Code == value;
        }
        var system = value[..bar];
        var code = value[(bar + 1)..];
        if (code.Length == 0)
        {
            return t => t.System == system;
        }
        return t => t.System == system && t.Code == code;
    }

    private static Expression<Func<StringIndexRow, bool>> StringPredicate(string value, bool exact) =>
        exact ? t => t.Value == value : t => t.Value.StartsWith(value);

    private static Expression<Func<ReferenceIndexRow, bool>> ReferencePredicate(string name, string value)
    {
        var (type, id) = ParseReferenceValue(name, value);
        if (type is null)
        {
            return t => t.TargetId == id;
        }
        return t => t.TargetType == type && t.TargetId == id;
    }

    private static (string? Type, string Id) ParseReferenceValue(string name, string value) =>
        IndexExtractor.ParseReference(value) ?? throw FhirException.BadRequest($"'{value}' is not a reference for {name}.", name);

    private static (string Prefix, DateRange Range) ParseDate(string name, string value)
    {
        var prefix = value.Length > 2 && char.IsAsciiLetterLower(value[0]) && char.IsAsciiLetterLower(value[1]) ? value[..2] : "eq";
        var text = value.Length > 2 && char.IsAsciiLetterLower(value[0]) ? value[2..] : value;
        if (prefix is not ("eq" or "ne" or "gt" or "lt" or "ge" or "le") || !DateRange.TryParse(text, out var range))
        {
            throw FhirException.BadRequest(
                $"'{value}' is not a date search value for {name} (prefix eq, ne, gt, lt, ge or le, then a FHIR date or dateTime).", name);
        }
        return (prefix, range);
    }

    private static Expression<Func<DateIndexRow, bool>> DatePredicate((string Prefix, DateRange Range) value)
    {
        var (start, end) = (value.Range.Start, value.Range.End);
        return value.Prefix switch
        {
            "gt" => d => d.End > end,
            "lt" => d => d.Start < start,
            "ge" => d => d.End > start,
            "le" => d => d.Start < end,
            "ne" => d => d.Start < start || d.End > end,
            _ => d => d.Start >= start && d.End <= end,
        };
    }

    private static Expression<Func<ResourceRow, bool>> LastUpdatedPredicate((string Prefix, DateRange Range) value)
    {
        var (start, end) = (value.Range.Start, value.Range.End);
        return value.Prefix switch
        {
            "gt" => r => r.LastUpdated >= end,
            "lt" => r => r.LastUpdated < start,
            "ge" => r => r.LastUpdated >= start,
            "le" => r => r.LastUpdated < end,
            "ne" => r => r.LastUpdated < start || r.LastUpdated >= end,
            _ => r => r.LastUpdated >= start && r.LastUpdated < end,
        };
    }

    private IQueryable<ResourceRow> Sort(IQueryable<ResourceRow> query, SearchRequest request)
    {
        IOrderedQueryable<ResourceRow>? ordered = null;
        foreach (var key in request.Sort)
        {
            Expression<Func<ResourceRow, long>>? numeric = null;
            Expression<Func<ResourceRow, string>>? text = null;
            var param = key.Name;
            var type = request.Type;
            switch (key.Name)
            {
                case "_lastUpdated":
                    numeric = r => r.LastUpdated;
                    break;
                case "_id":
                    text = r => r.Id;
                    break;
                default:
                    // Ascending by the earliest value, descending by the latest; resources without one sort last either way.
                    numeric = key.Descending
                        ? r => db.Dates.Where(d => d.ResourceSeq == r.Seq && d.Param == param).Max(d => (long?)d.End) ?? long.MinValue
                        : r => db.Dates.Where(d => d.ResourceSeq == r.Seq && d.Param == param).Min(d => (long?)d.Start) ?? long.MaxValue;
                    break;
            }
            ordered = (ordered, numeric, key.Descending) switch
            {
                (null, not null, false) => query.OrderBy(numeric),
                (null, not null, true) => query.OrderByDescending(numeric),
                (null, null, false) => query.OrderBy(text!),
                (null, null, true) => query.OrderByDescending(text!),
                (_, not null, false) => ordered.ThenBy(numeric),
                (_, not null, true) => ordered.ThenByDescending(numeric),
                (_, null, false) => ordered.ThenBy(text!),
                (_, null, true) => ordered.ThenByDescending(text!),
            };
        }
        return ordered is null ? query.OrderBy(r => r.Seq) : ordered.ThenBy(r => r.Seq);
    }

    /// <summary>Resources the given matches reference through an <c>_include</c>, excluding the matches themselves.</summary>
    private IQueryable<ResourceRow> Includes(SearchRequest request, IQueryable<ResourceRow> matches)
    {
        var type = request.Type;
        var matchSeqs = matches.Select(r => r.Seq);
        IQueryable<long>? seqs = null;
        foreach (var include in request.Includes)
        {
            var parts = include.Split(':');
            var param = parts[1];
            var target = parts.Length > 2 ? parts[2] : null;
            var refs = db.References.Where(x => x.ResourceType == type && x.Param == param && matchSeqs.Contains(x.ResourceSeq));
            if (target is not null)
            {
                refs = refs.Where(x => x.TargetType == target);
            }
            var found = db.Resources.Where(r => refs.Any(x => x.TargetType == r.Type && x.TargetId == r.Id)).Select(r => r.Seq);
            seqs = seqs is null ? found : seqs.Union(found);
        }
        return db.Resources.Where(r => !r.Deleted && seqs!.Contains(r.Seq) && !matchSeqs.Contains(r.Seq));
    }

    /// <summary>
    /// Resources that reference any of the matches through a <c>_revinclude</c>, excluding the matches themselves: paged
    /// after the matches and counted in <c>_count</c>, so a patient with a very large record still pages.
    /// </summary>
    private IQueryable<ResourceRow>? RevIncludes(SearchRequest request, IQueryable<ResourceRow> matches)
    {
        if (request.RevIncludes.Count == 0)
        {
            return null;
        }
        var type = request.Type;
        var matchSeqs = matches.Select(r => r.Seq);
        var matchIds = matches.Select(r => r.Id);
        IQueryable<long>? seqs = null;
        foreach (var revInclude in request.RevIncludes)
        {
            var parts = revInclude.Split(':');
            var source = parts[0];
            var param = parts[1];
            var found = db.References
                .Where(x => x.ResourceType == source && x.Param == param && x.TargetType == type && matchIds.Contains(x.TargetId))
                .Select(x => x.ResourceSeq);
            seqs = seqs is null ? found : seqs.Union(found);
        }
        return db.Resources.Where(r => !r.Deleted && seqs!.Contains(r.Seq) && !matchSeqs.Contains(r.Seq));
    }
}
