namespace MediaGen;
/// <summary>Probe.</summary>
public static class Probe { }
