using System.Linq.Expressions;

namespace MedNetPortal.FhirBase.Search;

/// <summary>OR-combines predicates over one parameter so EF Core translates them as one WHERE clause.</summary>
internal static class Predicates
{
    public static Expression<Func<T, bool>> Or<T>(IEnumerable<Expression<Func<T, bool>>> predicates)
    {
        Expression<Func<T, bool>>? result = null;
        foreach (var predicate in predicates)
        {
            if (result is null)
            {
                result = predicate;
                continue;
            }
            var body = new Rebinder(predicate.Parameters[0], result.Parameters[0]).Visit(predicate.Body);
            result = Expression.Lambda<Func<T, bool>>(Expression.OrElse(result.Body, body), result.Parameters);
        }
        return result ?? (_ => false);
    }

    private sealed class Rebinder(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
