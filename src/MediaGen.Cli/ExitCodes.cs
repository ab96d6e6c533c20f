namespace MediaGen.Cli;

/// <summary>The CLI's exit codes (documented in README and <c>mediagen --help</c>).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidSettings = 2;
    public const int NoVendor = 3;
    public const int InsufficientFunds = 4;
    public const int JobFailed = 5;
    public const int TimedOut = 6;
    public const int OutcomeUnknown = 7;

    /// <summary>The vendor's status answers could not be read several times in a row; the job may be billed (its handle is printed).</summary>
    public const int StatusUnreadable = 8;
    public const int Canceled = 130;

    public static int For(MediaGenError error) => error.Kind switch
    {
        ErrorKind.InvalidRequest => InvalidSettings,
        ErrorKind.NoRoute => NoVendor,
        ErrorKind.InsufficientFunds => InsufficientFunds,
        ErrorKind.TimedOut when error is TimedOutError { Reason: TimedOutReason.StatusUnreadable } => StatusUnreadable,
        ErrorKind.TimedOut => TimedOut,
        ErrorKind.OutcomeUnknown => OutcomeUnknown,
        ErrorKind.ContentRejected => JobFailed,
        _ => Failure,
    };
}
