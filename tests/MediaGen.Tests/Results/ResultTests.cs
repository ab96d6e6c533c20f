namespace MediaGen.Tests.Results;

public class ResultTests
{
    private static readonly JobHandle Handle = new("meigen", "job-1");

    public static TheoryData<MediaGenError, Type> ErrorsAndExceptions => new()
    {
        { new InvalidRequestError("Prompt", "must not be empty."), typeof(InvalidRequestException) },
        { new UnauthorizedError("bad key", "meigen"), typeof(UnauthorizedException) },
        { new InsufficientFundsError("no funds", "veogen", MediaGen.Money.Usd(0.30m), MediaGen.Money.Usd(0.05m)), typeof(InsufficientFundsException) },
        { new RateLimitedError("slow down", "meigen", TimeSpan.FromSeconds(60)), typeof(RateLimitedException) },
        { new NotFoundError("no job", "apiframe"), typeof(NotFoundException) },
        { new ContentRejectedError("policy", "apiframe"), typeof(ContentRejectedException) },
        { new ProviderUnavailableError("503", "apiframe"), typeof(ProviderUnavailableException) },
        { new OutcomeUnknownError("dropped", "veogen", "key-1", Handle), typeof(OutcomeUnknownException) },
        { new TimedOutError("deadline", "meigen", Handle), typeof(GenerationTimedOutException) },
        { new NoRouteError("nobody", []), typeof(NoRouteException) },
    };

    [Theory]
    [MemberData(nameof(ErrorsAndExceptions))]
    public void GetValueOrThrow_EachErrorKind_ThrowsItsOwnExceptionType(MediaGenError error, Type expected)
    {
        Result<int> result = error;
        var ex = Assert.Throws(expected, () => result.GetValueOrThrow());
        Assert.Same(error, ((MediaGenException)ex).Error);
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

    [Fact]
    public void ErrorKinds_EveryKindHasAnErrorType()
    {
        var covered = ErrorsAndExceptions.Select(row => ((MediaGenError)row[0]).Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<ErrorKind>().ToHashSet(), covered);
    }

    [Fact]
    public void RejectedBeforeBilling_OutcomeUnknownAndTimedOut_AreFalse()
    {
        Assert.False(new OutcomeUnknownError("x", "meigen", "k").RejectedBeforeBilling);
        Assert.False(new TimedOutError("x", "meigen", Handle).RejectedBeforeBilling);
        Assert.True(new InsufficientFundsError("x", "meigen").RejectedBeforeBilling);
        Assert.True(new RateLimitedError("x", "meigen").RejectedBeforeBilling);
        Assert.False(new ProviderUnavailableError("x", "meigen", RejectedBeforeBillingFlag: false).RejectedBeforeBilling);
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
    public void Default_AnyAccess_ThrowsInsteadOfPretendingSuccess()
    {
        var result = default(Result<string>);
        Assert.Throws<InvalidOperationException>(() => result.IsSuccess);
        Assert.Throws<InvalidOperationException>(() => result.GetValueOrThrow());
        Assert.Throws<InvalidOperationException>(() => result.Match(_ => 1, _ => 2));
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
