import ArgumentParser

/// The `clientele` command: customer analytics for webshops.
@main
struct Clientele: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clientele",
        abstract: "Customer analytics for webshops: who your customers are, who comes back, who is slipping away.",
        discussion: """
        Start with a demo shop:            clientele demo
        Import your own order export:      clientele import orders.csv --db shop.sqlite
        See your customer statistics:      clientele report customers --db shop.sqlite
        """,
        version: "0.1.0",
        subcommands: [ImportCommand.self, ShopCommand.self, DemoCommand.self, ReportCommand.self, AudienceCommand.self, CustomerCommand.self, FitCommand.self, PredictCommand.self, ServeCommand.self, TokenCommand.self, UserCommand.self]
    )
}
