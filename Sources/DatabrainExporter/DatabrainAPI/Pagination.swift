/// Databrain's pagination contract for list endpoints.
public enum Pagination {
    /// Items per page when `isPagination=true` (documented, not configurable upstream).
    public static let pageSize = 10

    /// There is no total or `hasMore`: a short (or empty) page is the last one.
    public static func isLastPage(itemCount: Int) -> Bool {
        itemCount < pageSize
    }

    /// The query string for one request: page numbers are 1-based strings, as documented.
    public static func query(paginate: Bool, page: Int) -> String {
        paginate ? "isPagination=true&pageNumber=\(page)" : "isPagination=false"
    }
}
