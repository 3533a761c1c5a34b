using System.Linq.Expressions;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.FhirBase.Search;

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
        var revIncluded = RevIncludes(request, matches);
        var revIncludedTotal = revIncluded is null ? 0 : await revIncluded.CountAsync(cancellationToken);
        var pageMatches = new List<StoredResource>();
        var pageIncluded = new List<StoredResource>();
        var includedSeqs = new HashSet<long>();
        if (request.Offset < total && request.Count > 0)
        {
            var rows = await Sort(matches, request).Skip(request.Offset).Take(request.Count).AsNoTracking().ToListAsync(cancellationToken);
            pageMatches.AddRange(rows.Select(StoredResource.From));
            if (request.Includes.Count > 0 && rows.Count > 0)
            {
                var included = await ForwardIncludes(request, [.. rows.Select(r => r.Seq)]).OrderBy(r => r.Seq).Take(MaxIncludes).AsNoTracking().ToListAsync(cancellationToken);
                includedSeqs.UnionWith(included.Select(r => r.Seq));
                pageIncluded.AddRange(included.Select(StoredResource.From));
            }
        }
        var room = request.Count - pageMatches.Count;
        if (revIncluded is not null && room > 0)
        {
            var skip = Math.Max(0, request.Offset - total);
            var rows = await revIncluded.OrderBy(r => r.Seq).Skip(skip).Take(room).AsNoTracking().ToListAsync(cancellationToken);
            pageIncluded.AddRange(rows.Where(r => includedSeqs.Add(r.Seq)).Select(StoredResource.From));
        }
        var hasNext = request.Count > 0 && (long)request.Offset + request.Count < (long)total + revIncludedTotal;
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
                "_lastUpdated" => query.Where(Predicates.Or(criterion.Values.Select(v => IndexPredicates.LastUpdatedPredicate(IndexPredicates.ParseDate(criterion.Name, v))))),
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
                var seqs = db.Tokens.Where(t => t.ResourceType == type && t.Param == key).Where(Predicates.Or(criterion.Values.Select(IndexPredicates.TokenPredicate)))
                    .Select(t => t.ResourceSeq);
                // :not = none of the values (a resource without the element matches too), as FHIR defines it.
                return criterion.Modifier == "not" ? r => !seqs.Contains(r.Seq) : r => seqs.Contains(r.Seq);
            }
            case SearchParamKind.String:
            {
                var exact = criterion.Modifier == "exact";
                var seqs = db.Strings.Where(t => t.ResourceType == type && t.Param == key)
                    .Where(Predicates.Or(criterion.Values.Select(v => IndexPredicates.StringPredicate(IndexExtractor.NormalizeString(v), exact))))
                    .Select(t => t.ResourceSeq);
                return r => seqs.Contains(r.Seq);
            }
            case SearchParamKind.Date:
            {
                var seqs = db.Dates.Where(t => t.ResourceType == type && t.Param == key)
                    .Where(Predicates.Or(criterion.Values.Select(v => IndexPredicates.DatePredicate(IndexPredicates.ParseDate(criterion.Name, v)))))
                    .Select(t => t.ResourceSeq);
                return r => seqs.Contains(r.Seq);
            }
            default:
            {
                var seqs = db.References.Where(t => t.ResourceType == type && t.Param == key)
                    .Where(Predicates.Or(criterion.Values.Select(v => IndexPredicates.ReferencePredicate(criterion.Name, v))))
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
        var ids = criterion.Values.Select(v => IndexPredicates.ParseReferenceValue(criterion.Name, v)).Select(t => t.Id).ToList();
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
            .Where(Predicates.Or(identifiers.Select(i => IndexPredicates.TokenPredicate($"{i.System}|{i.Code}"))))
            .Select(t => t.ResourceSeq);
        return r => byReference.Contains(r.Seq) || byIdentifier.Contains(r.Seq);
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

    /// <summary>
    /// <c>_include</c>: the resources the page's matches point to (so each page carries what its own rows reference, however
    /// long the list), by literal reference or, for a parameter holding another resource's identifier, by that identifier.
    /// </summary>
    private IQueryable<ResourceRow> ForwardIncludes(SearchRequest request, IReadOnlyList<long> pageSeqs)
    {
        var type = request.Type;
        IQueryable<long>? seqs = null;
        foreach (var include in request.Includes)
        {
            var parts = include.Split(':');
            var param = parts[1];
            var target = parts.Length > 2 ? parts[2] : null;
            var definition = SearchParameterRegistry.All[type].Parameters[param];
            IQueryable<long> found;
            if (definition.IncludeByIdentifier)
            {
                var targetType = target ?? definition.Targets[0];
                var identifiers = db.Tokens.Where(t => t.ResourceType == type && t.Param == param && pageSeqs.Contains(t.ResourceSeq));
                found = db.Tokens
                    .Where(o => o.ResourceType == targetType && o.Param == "identifier" && identifiers.Any(t => t.System == o.System && t.Code == o.Code))
                    .Select(o => o.ResourceSeq);
            }
            else
            {
                var refs = db.References.Where(x => x.ResourceType == type && x.Param == param && pageSeqs.Contains(x.ResourceSeq));
                if (target is not null)
                {
                    refs = refs.Where(x => x.TargetType == target);
                }
                found = db.Resources.Where(r => refs.Any(x => x.TargetType == r.Type && x.TargetId == r.Id)).Select(r => r.Seq);
            }
            seqs = seqs is null ? found : seqs.Union(found);
        }
        return db.Resources.Where(r => !r.Deleted && seqs!.Contains(r.Seq) && !pageSeqs.Contains(r.Seq));
    }

    /// <summary>
    /// <c>_revinclude</c>: resources pointing at any of the matches, after all the matches and counted against <c>_count</c>
    /// (one patient may have thousands), excluding the matches themselves.
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
