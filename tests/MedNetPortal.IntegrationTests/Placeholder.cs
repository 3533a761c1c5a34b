namespace MedNetPortal.IntegrationTests;
internal static class Placeholder;
