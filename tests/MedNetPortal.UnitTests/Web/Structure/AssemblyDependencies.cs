using System.Reflection;
using System.Reflection.Emit;

namespace MedNetPortal.UnitTests.Web.Structure;

/// <summary>
/// The types each type of an assembly uses, read from the compiled assembly: base type, interfaces, attributes, fields,
/// properties, events, method and constructor signatures, locals, and every type, method and field token in the method bodies'
/// IL. Nested and compiler-generated types (closures, async state machines, Razor's <c>__Blazor.*</c> type inference) count
/// for the top-level type that owns them.
/// </summary>
internal static class AssemblyDependencies
{
    internal const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OneByte = [];
    private static readonly Dictionary<short, OpCode> TwoByte = [];

    static AssemblyDependencies()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            (code.Size == 1 ? OneByte : TwoByte)[code.Value] = code;
        }
    }

    /// <summary>The namespace a type counts for: its outermost declaring type's, without Razor's <c>__Blazor.</c> prefix.</summary>
    public static string OwnerNamespace(Type type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        var ns = type.Namespace ?? string.Empty;
        return ns.StartsWith("__Blazor.", StringComparison.Ordinal) ? ns["__Blazor.".Length..] : ns;
    }

    /// <summary>For each type of <paramref name="assembly"/>: the types it uses (decomposed: generic arguments, arrays, pointers).</summary>
    public static IEnumerable<(Type Type, HashSet<Type> Uses)> Read(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            var uses = new HashSet<Type>();
            Add(uses, type.BaseType);
            foreach (var i in type.GetInterfaces())
            {
                Add(uses, i);
            }

            AddAttributes(uses, type.GetCustomAttributesData());
            foreach (var field in type.GetFields(Everything))
            {
                Add(uses, field.FieldType);
                AddAttributes(uses, field.GetCustomAttributesData());
            }

            foreach (var property in type.GetProperties(Everything))
            {
                Add(uses, property.PropertyType);
                AddAttributes(uses, property.GetCustomAttributesData());
            }

            foreach (var e in type.GetEvents(Everything))
            {
                Add(uses, e.EventHandlerType);
            }

            foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
            {
                AddMethod(uses, type, method);
            }

            yield return (type, uses);
        }
    }

    private static void AddMethod(HashSet<Type> uses, Type type, MethodBase method)
    {
        AddAttributes(uses, method.GetCustomAttributesData());
        if (method is MethodInfo info)
        {
            Add(uses, info.ReturnType);
            foreach (var argument in info.IsGenericMethodDefinition ? info.GetGenericArguments() : [])
            {
                foreach (var constraint in argument.GetGenericParameterConstraints())
                {
                    Add(uses, constraint);
                }
            }
        }

        foreach (var parameter in method.GetParameters())
        {
            Add(uses, parameter.ParameterType);
            AddAttributes(uses, parameter.GetCustomAttributesData());
        }

        foreach (var local in method.GetMethodBody()?.LocalVariables ?? [])
        {
            Add(uses, local.LocalType);
        }

        foreach (var member in IlMembers(type, method))
        {
            AddMember(uses, member);
        }
    }

    /// <summary>Every type, method and field an IL instruction of <paramref name="method"/> names.</summary>
    public static IEnumerable<MemberInfo> IlMembers(Type type, MethodBase method)
    {
        if (method.GetMethodBody() is not { } body)
        {
            yield break;
        }

        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var offset = 0; offset < il.Length;)
        {
            OpCode code;
            if (il[offset] == 0xFE)
            {
                code = TwoByte[unchecked((short)(0xFE00 | il[offset + 1]))];
                offset += 2;
            }
            else
            {
                code = OneByte[il[offset]];
                offset += 1;
            }

            switch (code.OperandType)
            {
                case OperandType.InlineType:
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineTok:
                    if (method.Module.ResolveMember(BitConverter.ToInt32(il, offset), typeArguments, methodArguments) is { } member)
                    {
                        yield return member;
                    }

                    offset += 4;
                    break;
                case OperandType.InlineSwitch:
                    offset += 4 + (4 * BitConverter.ToInt32(il, offset));
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    offset += 1;
                    break;
                case OperandType.InlineVar:
                    offset += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    offset += 8;
                    break;
                default:
                    offset += 4;
                    break;
            }
        }
    }

    private static void AddMember(HashSet<Type> uses, MemberInfo? member)
    {
        switch (member)
        {
            case Type t:
                Add(uses, t);
                break;
            case MethodInfo m:
                Add(uses, m.DeclaringType);
                Add(uses, m.ReturnType);
                foreach (var argument in m.IsGenericMethod ? m.GetGenericArguments() : [])
                {
                    Add(uses, argument);
                }

                break;
            case ConstructorInfo c:
                Add(uses, c.DeclaringType);
                break;
            case FieldInfo f:
                Add(uses, f.DeclaringType);
                Add(uses, f.FieldType);
                break;
        }
    }

    private static void AddAttributes(HashSet<Type> uses, IEnumerable<CustomAttributeData> attributes)
    {
        foreach (var attribute in attributes)
        {
            Add(uses, attribute.AttributeType);
            foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(a => a.TypedValue)))
            {
                if (argument.Value is Type t)
                {
                    Add(uses, t);
                }
            }
        }
    }

    private static void Add(HashSet<Type> uses, Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            return;
        }

        if (type.HasElementType)
        {
            Add(uses, type.GetElementType());
            return;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Add(uses, argument);
            }

            type = type.GetGenericTypeDefinition();
        }

        uses.Add(type);
    }
}
