/// The PostgreSQL backend of the order store (a shared, multi-process deployment): `PostgresOrderStore`.
public enum ClientelePostgres {
    /// The URL schemes that select this backend in `--db`.
    public static let schemes: Set<String> = ["postgres", "postgresql"]
}
