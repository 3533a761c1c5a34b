using System.Reflection;
using MedNetPortal.Web.Host.Data;
using Microsoft.AspNetCore.Components;

namespace MedNetPortal.UnitTests.Web.Structure;

/// <summary>
/// The rule of docs/architecture.md ("Database contexts"): portal code makes one <see cref="PortalDbContext"/> per operation from
/// <c>IDbContextFactory&lt;PortalDbContext&gt;</c> and never holds the scoped one (a Blazor circuit's scope lives as long as the
/// tab). Read from the compiled Web assembly: no constructor takes the context, no component injects it, no method body
/// resolves it from a service provider. The scoped context stays registered only for ASP.NET Core Identity's EF stores and
/// Data Protection's key store, which live in framework assemblies and are not checked here.
/// </summary>
public sealed class DbContextLifetimeTests
{
    private static readonly Assembly Web = typeof(PortalDbContext).Assembly;

    [Fact]
    public void No_type_takes_the_context_in_its_constructor_or_injects_it()
    {
        var holders = Web.GetTypes()
            .Where(t => !typeof(PortalDbContext).IsAssignableFrom(t))
            .SelectMany(t => t.GetConstructors(AssemblyDependencies.Everything)
                    .Where(c => c.GetParameters().Any(p => IsContext(p.ParameterType)))
                    .Select(_ => $"{t.FullName}: constructor")
                .Concat(t.GetProperties(AssemblyDependencies.Everything)
                    .Where(p => IsContext(p.PropertyType) && p.GetCustomAttribute<InjectAttribute>() is not null)
                    .Select(p => $"{t.FullName}.{p.Name}: [Inject]")))
            .ToList();

        Assert.True(holders.Count == 0, "Take IDbContextFactory<PortalDbContext> instead:\n" + string.Join("\n", holders));
    }

    [Fact]
    public void No_method_resolves_the_context_from_a_service_provider()
    {
        var resolvers = Resolvers(Web).Select(r => r.Where).ToList();

        Assert.True(resolvers.Count == 0, "Create a context from IDbContextFactory<PortalDbContext> instead:\n" + string.Join("\n", resolvers));
    }

    [Fact]
    public void The_check_finds_a_planted_resolver()
    {
        // Proof the IL check can fail: this test assembly's Planted.ScopedContextUser resolves the context from a scope.
        Assert.Contains(Resolvers(typeof(DbContextLifetimeTests).Assembly), r => r.Owner == typeof(Planted.ScopedContextUser).FullName);
    }

    private static IEnumerable<(string Owner, string Where)> Resolvers(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(AssemblyDependencies.Everything).Cast<MethodBase>().Concat(type.GetConstructors(AssemblyDependencies.Everything))
        from member in AssemblyDependencies.IlMembers(type, method)
        where member is MethodInfo { IsGenericMethod: true, Name: "GetService" or "GetRequiredService" } m && IsContext(m.GetGenericArguments()[0])
        let owner = Outer(type)
        select (owner.FullName!, $"{owner.FullName}: {method.Name}");

    private static bool IsContext(Type type) => typeof(PortalDbContext).IsAssignableFrom(type);

    private static Type Outer(Type type) => type.DeclaringType is null ? type : Outer(type.DeclaringType);
}
