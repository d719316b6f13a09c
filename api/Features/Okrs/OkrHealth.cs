namespace OkrKpi.Api.Features.Okrs;

/// <summary>How an objective or a key result stands against the elapsed part of its cycle (see <see cref="OkrProgress.Health"/>).</summary>
public enum OkrHealth { NotStarted, OnTrack, AtRisk, OffTrack }
