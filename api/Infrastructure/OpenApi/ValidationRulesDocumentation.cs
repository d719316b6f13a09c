using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using OkrKpi.Api.Infrastructure.Mediator;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OkrKpi.Api.Infrastructure.OpenApi;

/// <summary>
/// Writes the limits the validators enforce into the API document: required, minLength/maxLength, minimum/maximum,
/// pattern, enum, minItems/maxItems. A request body or query parameter feeds a mediator message; that message's
/// validators (and those of the interfaces it implements) are read, so each limit has one home, the validator.
/// Only unconditional rules with constant limits are documented; the rest stay the validator's to explain in a 400.
/// </summary>
public sealed class ValidationRulesDocumentation(IServiceProvider services) : ISchemaFilter, IOperationFilter
{
    private static readonly Type[] ValidatorTypes = typeof(ValidationRulesDocumentation).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && ValidatedType(t) is not null).ToArray();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } model || context.Type is null) return;
        foreach (var (name, property) in model.Properties.ToList())
        {
            var member = context.Type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (member is null) continue;
            var rules = Constraints.Of(RulesFor(context.Type, member.Name));
            if (rules.IsEmpty) continue;
            var documented = Editable(property);
            rules.ApplyTo(documented, IsList(member.PropertyType));
            model.Properties[name] = documented;
            if (rules.Required) (model.Required ??= new HashSet<string>()).Add(name);
        }
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var messages = MessagesOf(context.MethodInfo?.DeclaringType);
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query) ?? [])
        {
            var rules = Constraints.Of(messages.SelectMany(message => RulesFor(message, parameter.Name!)));
            if (rules.IsEmpty || parameter.Schema is null) continue;
            var documented = Editable(parameter.Schema);
            rules.ApplyTo(documented, isList: false);
            parameter.Schema = documented;
            if (rules.Required) parameter.Required = true;
        }
    }

    /// <summary>The mediator messages a slice (the class holding the endpoint) sends.</summary>
    private static IReadOnlyList<Type> MessagesOf(Type? slice) =>
        slice?.GetNestedTypes().Where(t => typeof(global::Mediator.IMessage).IsAssignableFrom(t)).ToList() ?? [];

    /// <summary>The rule components for one property of a type, and of the messages it becomes when it is a route's Body.</summary>
    private IEnumerable<(IRuleComponent Component, bool Each)> RulesFor(Type type, string propertyName)
    {
        var targets = new List<Type> { type };
        if (type.DeclaringType is { } slice && !typeof(global::Mediator.IMessage).IsAssignableFrom(type))
            targets.AddRange(MessagesOf(slice));

        foreach (var target in targets)
        {
            var member = target.GetProperty(propertyName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (member is null) continue;
            foreach (var validator in ValidatorsOf(target))
            foreach (var rule in validator.CreateDescriptor().GetRulesForMember(member.Name).Where(r => !r.HasCondition && !r.HasAsyncCondition))
            {
                var each = rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));
                foreach (var component in rule.Components.Where(c => !c.HasCondition && !c.HasAsyncCondition))
                    yield return (component, each);
            }
        }
    }

    private IEnumerable<IValidator> ValidatorsOf(Type target)
    {
        var validated = target.GetInterfaces().Append(target).ToHashSet();
        foreach (var type in ValidatorTypes.Where(t => validated.Contains(ValidatedType(t)!)))
        {
            // Validators take services or settings; a setting no service gives (a KPI target's value type) is left unset.
            var constructor = type.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
            var arguments = constructor.GetParameters().Select(p => services.GetService(p.ParameterType) ?? (p.HasDefaultValue ? p.DefaultValue : null)).ToArray();
            yield return (IValidator)constructor.Invoke(arguments);
        }
    }

    private static Type? ValidatedType(Type validator)
    {
        for (var type = validator.BaseType; type is not null; type = type.BaseType)
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(AbstractValidator<>))
                return type.GetGenericArguments()[0];
        return null;
    }

    private static bool IsList(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    /// <summary>A schema this filter may change: a referenced one is wrapped, so the shared component stays as it is.</summary>
    internal static OpenApiSchema Editable(IOpenApiSchema schema) => schema switch
    {
        OpenApiSchema own => own,
        _ => new OpenApiSchema { AllOf = [schema] },
    };

    /// <summary>What the rules of one property say, merged.</summary>
    private sealed class Constraints
    {
        public bool Required { get; private set; }
        private int? _minLength, _maxLength, _minItems, _maxItems, _itemMaxLength;
        private string? _minimum, _maximum, _pattern, _itemPattern;
        private bool _exclusiveMinimum, _exclusiveMaximum;
        private IReadOnlyList<string>? _enum, _itemEnum;
        private bool _notBlank, _itemNotBlank;

        public bool IsEmpty => !Required && _minLength is null && _maxLength is null && _minItems is null && _maxItems is null
            && _itemMaxLength is null && _minimum is null && _maximum is null && _pattern is null && _itemPattern is null
            && _enum is null && _itemEnum is null && !_itemNotBlank;

        public static Constraints Of(IEnumerable<(IRuleComponent Component, bool Each)> components)
        {
            var constraints = new Constraints();
            foreach (var (component, each) in components)
            {
                if (each) constraints.AddItem(component.Validator);
                else constraints.Add(component.Validator);
            }
            return constraints;
        }

        private void Add(IPropertyValidator validator)
        {
            switch (validator)
            {
                case INotNullValidator:
                    Required = true;
                    break;
                case INotEmptyValidator:
                    Required = true;
                    _notBlank = true;
                    break;
                case ILengthValidator length:
                    if (length.Min > 0) _minLength = Math.Max(_minLength ?? 0, length.Min);
                    if (length.Max >= 0) _maxLength = Math.Min(_maxLength ?? int.MaxValue, length.Max);
                    break;
                case IBetweenValidator between when Number(between.From) is { } from && Number(between.To) is { } to:
                    _minimum = from;
                    _maximum = to;
                    _exclusiveMinimum = _exclusiveMaximum = validator.Name == "ExclusiveBetweenValidator";
                    break;
                case IComparisonValidator { ValueToCompare: not null } comparison when Number(comparison.ValueToCompare) is { } value:
                    switch (comparison.Comparison)
                    {
                        case Comparison.GreaterThanOrEqual: _minimum = value; break;
                        case Comparison.GreaterThan: _minimum = value; _exclusiveMinimum = true; break;
                        case Comparison.LessThanOrEqual: _maximum = value; break;
                        case Comparison.LessThan: _maximum = value; _exclusiveMaximum = true; break;
                    }
                    break;
                case IRegularExpressionValidator regex:
                    _pattern = regex.Expression;
                    break;
                default:
                    AddDocumented(validator, item: false);
                    break;
            }
        }

        private void AddItem(IPropertyValidator validator)
        {
            switch (validator)
            {
                case INotEmptyValidator:
                    _itemNotBlank = true;
                    break;
                case ILengthValidator { Max: >= 0 } length:
                    _itemMaxLength = length.Max;
                    break;
                case IRegularExpressionValidator regex:
                    _itemPattern = regex.Expression;
                    break;
                default:
                    AddDocumented(validator, item: true);
                    break;
            }
        }

        // The rules of DocumentedRules are generic; their limits are read by name.
        private void AddDocumented(IPropertyValidator validator, bool item)
        {
            var values = validator.GetType().GetProperty("Values")?.GetValue(validator) as IReadOnlyList<string>;
            var max = validator.GetType().GetProperty("Max")?.GetValue(validator) as int?;
            var min = validator.GetType().GetProperty("Min")?.GetValue(validator) as int?;
            switch (validator.Name)
            {
                case "NotBlankValidator" when item:
                    _itemNotBlank = true;
                    break;
                case "NotBlankValidator":
                    Required = true;
                    _notBlank = true;
                    break;
                case "MaximumTrimmedLengthValidator" when item:
                    _itemMaxLength = max;
                    break;
                case "MaximumTrimmedLengthValidator":
                    _maxLength = max;
                    break;
                case "OneOfValidator" when item:
                    _itemEnum = values;
                    break;
                case "OneOfValidator":
                    _enum = values;
                    break;
                case "ItemCountValidator":
                    _minItems = min > 0 ? min : null;
                    _maxItems = max;
                    break;
            }
        }

        public void ApplyTo(OpenApiSchema schema, bool isList)
        {
            if (Required && schema.Type is { } type) schema.Type = type == JsonSchemaType.Null ? null : type & ~JsonSchemaType.Null;
            if (isList)
            {
                if (_notBlank) schema.MinItems = 1;
                if (_minItems is not null) schema.MinItems = _minItems;
                if (_maxItems is not null) schema.MaxItems = _maxItems;
                if (schema.Items is { } items && (_itemMaxLength is not null || _itemPattern is not null || _itemEnum is not null || _itemNotBlank))
                {
                    var item = Editable(items);
                    if (_itemNotBlank) item.MinLength = 1;
                    if (_itemMaxLength is not null) item.MaxLength = _itemMaxLength;
                    if (_itemPattern is not null) item.Pattern = _itemPattern;
                    if (_itemEnum is not null) item.Enum = _itemEnum.Select(v => (System.Text.Json.Nodes.JsonNode)v).ToList();
                    schema.Items = item;
                }
                return;
            }
            if (_notBlank) schema.MinLength = Math.Max(schema.MinLength ?? 0, 1);
            if (_minLength is not null) schema.MinLength = _minLength;
            if (_maxLength is not null) schema.MaxLength = _maxLength;
            if (_pattern is not null) schema.Pattern = _pattern;
            if (_enum is not null) schema.Enum = _enum.Select(v => (System.Text.Json.Nodes.JsonNode)v).ToList();
            if (_minimum is not null)
            {
                if (_exclusiveMinimum) schema.ExclusiveMinimum = _minimum;
                else schema.Minimum = _minimum;
            }
            if (_maximum is not null)
            {
                if (_exclusiveMaximum) schema.ExclusiveMaximum = _maximum;
                else schema.Maximum = _maximum;
            }
        }

        private static string? Number(object? value) => value switch
        {
            int or long or short or decimal or double or float => Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
