using System.ComponentModel.DataAnnotations;
using MediaGen.Providers;
using MediaGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGen.Tests.Providers;

/// <summary>The one way providers bind and validate options: every problem at once, each under its configuration path.</summary>
public sealed partial class ProviderOptionsSchemaTests
{
    private static readonly ProviderOptionsSchema<TestOptions> Schema = new()
    {
        DisplayName = "Test",
        SectionName = "MediaGen:Test",
        Bind = static (section, options) => section.Bind(options),
        Validator = new TestOptionsValidator(),
        Check = static options => options.Wait < TimeSpan.Zero ? [new OptionsProblem(nameof(options.Wait), "must not be negative.")] : [],
        RenamedKeys = new Dictionary<string, string> { ["OldCount"] = nameof(TestOptions.Count) },
    };

    [Fact]
    public void AddProvider_SeveralUnreadableValues_ReportsEveryOneByItsPathAtStart()
    {
        var services = Register(new()
        {
            ["MediaGen:Test:Count"] = "lots",
            ["MediaGen:Test:Flag"] = "maybe",
            ["MediaGen:Test:Wait"] = "soon",
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("MediaGen:Test:Count must be a whole number; got 'lots'.", ex.Failures);
        Assert.Contains("MediaGen:Test:Flag must be true or false; got 'maybe'.", ex.Failures);
        Assert.Contains("MediaGen:Test:Wait must be a time span such as 00:05:00; got 'soon'.", ex.Failures);
        Assert.Contains("MediaGen:Test:Name is required: a name.", ex.Failures); // validation still runs on what did bind
        Assert.Equal(4, ex.Failures.Count());
    }

    [Fact]
    public void BindFrom_UnreadableValue_IsLeftOutAndTheOtherValuesApply()
    {
        var section = Configuration(new() { ["MediaGen:Test:Name"] = "kept", ["MediaGen:Test:Count"] = "lots", ["MediaGen:Test:Prices:b"] = "2" }).GetSection("MediaGen:Test");
        var options = new TestOptions();

        var problems = Schema.BindFrom(section, options);

        Assert.Equal("MediaGen:Test:Count must be a whole number; got 'lots'.", Assert.Single(problems));
        Assert.Equal("kept", options.Name);
        Assert.Equal(3, options.Count); // the default: the bad value is not half applied
        Assert.Equal(2m, Assert.Single(options.Prices).Value);
    }

    [Fact]
    public void AddProvider_SectionOfAnotherName_NamesItInAnnotationCheckAndBindingFailures()
    {
        var configuration = Configuration(new() { ["Elsewhere:Count"] = "-1", ["Elsewhere:Wait"] = "-00:00:01", ["Elsewhere:OldCount"] = "4" });
        var services = new ServiceCollection();
        services.AddMediaGen().AddProvider("test", Schema, configuration.GetSection("Elsewhere"), null, static (_, _, _) => new FakeMediaGenerator("test"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            [
                "Elsewhere:OldCount was renamed: use Elsewhere:Count (the old key is no longer read).",
                "Elsewhere:Name is required: a name.",
                "Elsewhere:Count must be at least 0; got -1.",
                "Elsewhere:Wait must not be negative.",
            ],
            ex.Failures);
    }

    [Fact]
    public void AddProvider_ConfigurationThenCode_CodeRunsAfterBindingAndBothAreValidated()
    {
        var configuration = Configuration(new() { ["MediaGen:Test:Name"] = "from configuration", ["MediaGen:Test:Count"] = "5" });
        var services = new ServiceCollection();
        services.AddMediaGen().AddProvider("test", Schema, configuration, o => o.Count++, static (_, _, _) => new FakeMediaGenerator("test"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TestOptions>>().Value;

        Assert.Equal(("from configuration", 6), (options.Name, options.Count));
    }

    [Fact]
    public void ThrowIfInvalid_OptionsInCode_NameTheConventionalSectionAndTheVendor()
    {
        var ex = Assert.Throws<ArgumentException>(() => Schema.ThrowIfInvalid(new TestOptions { Count = -1 }, "options"));

        Assert.StartsWith("Invalid Test options: MediaGen:Test:Name is required: a name. MediaGen:Test:Count must be at least 0; got -1.", ex.Message, StringComparison.Ordinal);
        Assert.Equal("options", ex.ParamName);
    }

    [Theory]
    [InlineData("https://api.example.com/v1/", true)]
    [InlineData("http://127.0.0.1:5000/", true)]
    [InlineData("http://localhost:8080/", true)]
    [InlineData("http://[::1]/", true)]
    [InlineData("http://api.example.com/", false)]
    [InlineData("ftp://127.0.0.1/", false)]
    [InlineData("/relative/", false)]
    [InlineData(null, false)]
    public void HttpsOrLoopback_Address_IsAllowedOnlyOverHttpsOrToLoopback(string? address, bool allowed)
    {
        var uri = address is null ? null : new Uri(address, UriKind.RelativeOrAbsolute);

        var failures = Schema.Validate(new TestOptions { Name = "n", Address = uri }, "S");

        Assert.Equal(allowed, HttpsOrLoopbackAttribute.IsAllowed(uri));
        Assert.Equal(allowed, !failures.Any(f => f.StartsWith("S:Address must be an absolute https URL", StringComparison.Ordinal)));
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static ServiceCollection Register(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection();
        services.AddMediaGen().AddProvider("test", Schema, Configuration(values), null, static (_, _, _) => new FakeMediaGenerator("test"));
        return services;
    }

    public sealed class TestOptions
    {
        [Required(ErrorMessage = "is required: a name.")]
        public string? Name { get; set; }

        [IntegerRange(0)]
        public int Count { get; set; } = 3;

        public bool Flag { get; set; }

        public TimeSpan Wait { get; set; }

        [HttpsOrLoopback]
        public Uri? Address { get; set; } = new("https://example.com/");

        public Dictionary<string, decimal> Prices { get; } = [];
    }

    [OptionsValidator]
    internal sealed partial class TestOptionsValidator : IValidateOptions<TestOptions>;
}
