/// One decoded page of a list: the items that carried their identity, and how many did not.
///
/// Databrain documents some fields as optional (an embed's `name`, a datamart's
/// `companyIntegration`), and an item may come without the field that names it. Such an item is
/// skipped and counted (`databrain_api_items_skipped_total`), never allowed to reject the page:
/// one odd item must not take a whole collector, or `databrain_up`, down.
public struct ListPage<Item: Sendable>: Sendable {
    /// The usable items, in the order received.
    public var items: [Item]
    /// Items (and embeds inside data apps) left out because they lacked their identity.
    public var skipped: Int
    /// How many items the page held as sent, usable or not: what pagination's stop rule counts.
    public var received: Int
    /// Something about the answer worth one log line per collector (e.g. expanded datamart
    /// details from a server that predates `expandDetails`), or nil.
    public var notice: String?

    /// Creates a page.
    public init(items: [Item], skipped: Int = 0, received: Int? = nil, notice: String? = nil) {
        self.items = items
        self.skipped = skipped
        self.received = received ?? items.count + skipped
        self.notice = notice
    }

    /// Appends the next page of the same list.
    mutating func append(_ next: ListPage<Item>) {
        items += next.items
        skipped += next.skipped
        received += next.received
        notice = notice ?? next.notice
    }

    /// The same page with its items transformed.
    func map<Other: Sendable>(_ transform: (Item) -> Other) -> ListPage<Other> {
        ListPage<Other>(items: items.map(transform), skipped: skipped, received: received, notice: notice)
    }
}
