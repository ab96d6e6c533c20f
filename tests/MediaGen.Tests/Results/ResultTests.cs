using System.Reflection;

namespace MediaGen.Tests.Results;

public class ResultTests
{
    private static readonly JobHandle Handle = new("meigen", "job-1");

    // One row per error kind, with the exception GetValueOrThrow must throw for it: only the kinds callers catch on
    // their own have a subtype; every other kind is a plain MediaGenException carrying the error.
    public static TheoryData<MediaGenError, Type> ErrorsAndExceptions => new()
    {
        { new InvalidRequestError("Prompt", "must not be empty."), typeof(MediaGenException) },
        { new UnauthorizedError("bad key", "meigen"), typeof(MediaGenException) },
        { new InsufficientFundsError("no funds", "veogen", MediaGen.Money.Usd(0.30m), MediaGen.Money.Usd(0.05m)), typeof(MediaGenException) },
        { new RateLimitedError("slow down", "meigen", TimeSpan.FromSeconds(60)), typeof(MediaGenException) },
        { new NotFoundError("no job", "apiframe"), typeof(MediaGenException) },
        { new ContentRejectedError("policy", "apiframe"), typeof(MediaGenException) },
        { new ProviderUnavailableError("503", "apiframe"), typeof(MediaGenException) },
        { new OutcomeUnknownError("dropped", "veogen", "key-1", Handle), typeof(OutcomeUnknownException) },
        { new TimedOutError("deadline", "meigen", Handle), typeof(MediaGenException) },
        { new NoRouteError("nobody", []), typeof(MediaGenException) },
    };

    public static TheoryData<MediaGenError> Errors => new(ErrorsAndExceptions.Select(row => (MediaGenError)row[0]));

    [Theory]
    [MemberData(nameof(ErrorsAndExceptions))]
    public void GetValueOrThrow_EachErrorKind_ThrowsItsExceptionCarryingTheError(MediaGenError error, Type expected)
    {
        Result<int> result = error;
        var ex = Assert.Throws(expected, () => result.GetValueOrThrow());
        Assert.Same(error, ((MediaGenException)ex).Error);
        Assert.Equal(error.ToString(), ex.Message);
        Assert.Equal(error.Provider, ((MediaGenException)ex).Provider);
    }

    [Fact]
    public void GetValueOrThrow_OutcomeUnknown_ExceptionCarriesHandleAndKey()
    {
        Result<int> result = new OutcomeUnknownError("dropped", "veogen", "key-1", Handle);

        var ex = Assert.Throws<OutcomeUnknownException>(() => result.GetValueOrThrow());

        Assert.Equal(Handle, ex.Handle);
        Assert.Equal("key-1", ex.IdempotencyKey);
    }

    [Theory]
    [MemberData(nameof(ErrorsAndExceptions))]
    public void Match_EachErrorKind_CallsOnlyItsHandler(MediaGenError error, Type _)
    {
        var called = error.Match(
            e => ErrorKind.InvalidRequest,
            e => ErrorKind.Unauthorized,
            e => ErrorKind.InsufficientFunds,
            e => ErrorKind.RateLimited,
            e => ErrorKind.NotFound,
            e => ErrorKind.ContentRejected,
            e => ErrorKind.ProviderUnavailable,
            e => ErrorKind.OutcomeUnknown,
            e => ErrorKind.TimedOut,
            e => ErrorKind.NoRoute);
        Assert.Equal(error.Kind, called);
    }

    // Compiles only while Result<T>.Match takes exactly one handler per error kind: a new kind breaks this call.
    private static string Describe(Result<string> result) => result.Match(
        value => "success " + value,
        e => "InvalidRequest " + e.Errors.Count,
        e => "Unauthorized " + e.Provider,
        e => "InsufficientFunds " + e.Required,
        e => "RateLimited " + e.RetryAfter?.TotalSeconds,
        e => "NotFound " + e.Provider,
        e => "ContentRejected " + e.Handle,
        e => "ProviderUnavailable " + e.RejectedBeforeBilling,
        e => "OutcomeUnknown " + e.IdempotencyKey,
        e => "TimedOut " + e.Handle,
        e => "NoRoute " + e.Attempts.Count);

    [Theory]
    [MemberData(nameof(Errors))]
    public void MatchPerKind_EachErrorKind_CallsOnlyThatKindsHandlerWithTheError(MediaGenError error)
    {
        Result<string> result = error;

        var described = Describe(result);

        Assert.StartsWith(error.Kind + " ", described, StringComparison.Ordinal);
    }

    [Fact]
    public void MatchPerKind_Success_CallsTheSuccessHandler()
    {
        Assert.Equal("success ok", Describe("ok"));
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void SwitchPerKind_EachErrorKind_RunsOnlyThatKindsHandler(MediaGenError error)
    {
        Result<string> result = error;
        var seen = new List<object>();

        result.Switch(
            seen.Add,
            seen.Add,
            seen.Add,
            seen.Add,
            seen.Add,
            seen.Add,
            seen.Add,
            seen.Add,
            seen.Add,
            seen.Add,
            seen.Add);

        Assert.Same(error, Assert.Single(seen));
    }

    [Fact]
    public void SwitchPerKind_Success_RunsOnlyTheSuccessHandler()
    {
        Result<int> result = 7;
        var seen = new List<object>();

        result.Switch(v => seen.Add(v), seen.Add, seen.Add, seen.Add, seen.Add, seen.Add, seen.Add, seen.Add, seen.Add, seen.Add, seen.Add);

        Assert.Equal(7, Assert.Single(seen));
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void ErrorSwitch_EachErrorKind_RunsOnlyItsHandler(MediaGenError error)
    {
        ErrorKind? seen = null;
        var calls = 0;

        error.Switch(
            _ => { seen = ErrorKind.InvalidRequest; calls++; },
            _ => { seen = ErrorKind.Unauthorized; calls++; },
            _ => { seen = ErrorKind.InsufficientFunds; calls++; },
            _ => { seen = ErrorKind.RateLimited; calls++; },
            _ => { seen = ErrorKind.NotFound; calls++; },
            _ => { seen = ErrorKind.ContentRejected; calls++; },
            _ => { seen = ErrorKind.ProviderUnavailable; calls++; },
            _ => { seen = ErrorKind.OutcomeUnknown; calls++; },
            _ => { seen = ErrorKind.TimedOut; calls++; },
            _ => { seen = ErrorKind.NoRoute; calls++; });

        Assert.Equal(error.Kind, seen);
        Assert.Equal(1, calls);
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void AsOneOf_EachErrorKind_HoldsTheSameErrorInstance(MediaGenError error)
    {
        var union = error.AsOneOf();

        var held = union.Value is OneOf.IOneOf nested ? nested.Value : union.Value;
        Assert.Same(error, held);
        Assert.Equal(error is OutcomeUnknownError or TimedOutError, union.IsT7);
    }

    [Fact]
    public void AsOneOf_EveryErrorTypeInTheAssembly_IsACaseOfTheUnion()
    {
        // An error record added without a case in the union would reach no handler of the per-kind Match.
        static IEnumerable<Type> Cases(Type type) =>
            type.IsGenericType && type.GetGenericTypeDefinition().Namespace == "OneOf"
                ? type.GetGenericArguments().SelectMany(Cases)
                : [type];
        var union = Cases(typeof(MediaGenError).GetMethod(nameof(MediaGenError.AsOneOf))!.ReturnType).ToHashSet();
        var declared = typeof(MediaGenError).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(MediaGenError)) && !t.IsAbstract)
            .ToHashSet();

        // A refined error (e.g. BudgetExceededError, an InsufficientFundsError) reaches its base kind's case.
        Assert.Equal(declared.Where(t => t.BaseType == typeof(MediaGenError)).OrderBy(t => t.Name).Select(t => t.Name), union.OrderBy(t => t.Name).Select(t => t.Name));
        Assert.All(declared.Where(t => t.BaseType != typeof(MediaGenError)), t => Assert.Contains(union, u => t.IsSubclassOf(u)));
    }

    [Fact]
    public void ErrorKinds_EveryKindHasAnErrorType()
    {
        var covered = ErrorsAndExceptions.Select(row => ((MediaGenError)row[0]).Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<ErrorKind>().ToHashSet(), covered);
        Assert.Equal(covered.Count, ErrorsAndExceptions.Select(row => row[0].GetType()).Distinct().Count());
    }

    [Fact]
    public void ErrorRecords_PublicProperties_OneNamePerFact()
    {
        // The provider is Provider and the billing bit is RejectedBeforeBilling, on every error: no second,
        // positional-parameter copy (ProviderName, RejectedBeforeBillingFlag) that `with` would change on its own.
        var duplicates = typeof(MediaGenError).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(MediaGenError)))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance), (t, p) => $"{t.Name}.{p.Name}")
            .Where(name => name.EndsWith(".ProviderName", StringComparison.Ordinal) || name.EndsWith(".RejectedBeforeBillingFlag", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void With_Provider_ChangesTheProviderTheErrorReports()
    {
        var error = new ProviderUnavailableError("down", "meigen", RejectedBeforeBilling: false) with { Provider = "veogen" };

        Assert.Equal("veogen", error.Provider);
        Assert.Equal("ProviderUnavailable (veogen): down", error.ToString());
        Assert.False(error.RejectedBeforeBilling);
    }

    [Fact]
    public void RejectedBeforeBilling_OutcomeUnknownAndTimedOut_AreFalse()
    {
        Assert.False(new OutcomeUnknownError("x", "meigen", "k").RejectedBeforeBilling);
        Assert.False(new TimedOutError("x", "meigen", Handle).RejectedBeforeBilling);
        Assert.True(new InsufficientFundsError("x", "meigen").RejectedBeforeBilling);
        Assert.True(new RateLimitedError("x", "meigen").RejectedBeforeBilling);
        Assert.False(new ProviderUnavailableError("x", "meigen", RejectedBeforeBilling: false).RejectedBeforeBilling);
    }

    [Fact]
    public void GetValueOrThrow_Success_ReturnsValue()
    {
        Result<string> result = "ok";
        Assert.Equal("ok", result.GetValueOrThrow());
        Assert.True(result.TryGetValue(out var value));
        Assert.Equal("ok", value);
        Assert.False(result.TryGetError(out _));
    }

    [Fact]
    public void TryGetValue_Failure_ErrorIsKnownNotNullWithoutSuppression()
    {
        Result<string> result = new NotFoundError("no job", "meigen");

        // No `!`: [MemberNotNullWhen(false, nameof(Error))] tells the compiler (warnings are errors here).
        var kind = result.TryGetValue(out var value) ? value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : result.Error.Kind.ToString();

        Assert.Equal(nameof(ErrorKind.NotFound), kind);
    }

    [Fact]
    public void TryGetValue_Success_ValueIsKnownNotNullWithoutSuppression()
    {
        Result<string> result = "ok";

        var length = result.TryGetValue(out _) ? result.Value.Length : -1;

        Assert.Equal(2, length);
    }

    [Fact]
    public void TryGetError_Success_ValueIsKnownNotNullWithoutSuppression()
    {
        Result<string> result = "ok";

        var text = result.TryGetError(out var error) ? error.Message : result.Value.ToUpperInvariant();

        Assert.Equal("OK", text);
    }

    [Fact]
    public void Default_AnyAccess_ThrowsInsteadOfPretendingSuccess()
    {
        var result = default(Result<string>);
        Assert.Throws<InvalidOperationException>(() => result.IsSuccess);
        Assert.Throws<InvalidOperationException>(() => result.GetValueOrThrow());
        Assert.Throws<InvalidOperationException>(() => result.Match(_ => 1, _ => 2));
    }

    [Fact]
    public void Default_EveryOutcomeReader_ThrowsAClearInvalidOperationException()
    {
        var result = default(Result<int>);
        Action<object> ignore = _ => { };
        var readers = new (string Name, Action Read)[]
        {
            ("IsSuccess", () => _ = result.IsSuccess),
            ("TryGetValue", () => result.TryGetValue(out _)),
            ("TryGetError", () => result.TryGetError(out _)),
            ("GetValueOrThrow", () => result.GetValueOrThrow()),
            ("Match", () => result.Match(_ => 1, _ => 2)),
            ("Match per kind", () => result.Match(_ => 0, _ => 1, _ => 2, _ => 3, _ => 4, _ => 5, _ => 6, _ => 7, _ => 8, _ => 9, _ => 10)),
            ("Switch", () => result.Switch(_ => { }, _ => { })),
            ("Switch per kind", () => result.Switch(_ => { }, ignore, ignore, ignore, ignore, ignore, ignore, ignore, ignore, ignore, ignore)),
            ("Map", () => result.Map(x => x + 1)),
        };

        foreach (var (name, read) in readers)
        {
            var ex = Assert.Throws<InvalidOperationException>(read);
            Assert.True(ex.Message.Contains("default-initialized", StringComparison.Ordinal), $"{name}: {ex.Message}");
        }

        Assert.Equal("Result(uninitialized)", result.ToString());
    }

    [Fact]
    public void Default_ValueTypeResult_IsNotMistakenForASuccessOfZero()
    {
        // default(Result<int>) would otherwise look like Success(0).
        var result = default(Result<int>);

        Assert.Throws<InvalidOperationException>(() => result.TryGetValue(out _));
    }

    [Fact]
    public void Map_Failure_PassesErrorThrough()
    {
        var error = new NotFoundError("no", "meigen");
        Result<int> result = error;
        var mapped = result.Map(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(mapped.TryGetError(out var e));
        Assert.Same(error, e);
    }

    [Fact]
    public void Switch_Success_RunsSuccessBranchOnly()
    {
        Result<int> result = 5;
        var seen = 0;
        result.Switch(v => seen = v, _ => seen = -1);
        Assert.Equal(5, seen);
    }

    [Fact]
    public void InvalidRequestError_Message_NamesEveryField()
    {
        var error = new InvalidRequestError([new FieldError("Prompt", "empty"), new FieldError("Count", "too many")], "meigen");
        Assert.Contains("Prompt", error.Message, StringComparison.Ordinal);
        Assert.Contains("Count", error.Message, StringComparison.Ordinal);
        Assert.Contains("meigen", error.Message, StringComparison.Ordinal);
    }
}

public class MediaGenErrorTextTests
{
    [Fact]
    public void ToString_DerivedError_ShowsKindProviderAndFieldsNotRecordDump()
    {
        var text = new InvalidRequestError("Prompt", "must not be empty.", "meigen").ToString();
        Assert.Equal("InvalidRequest (meigen): Invalid request for meigen: Prompt: must not be empty.", text);
    }
}
