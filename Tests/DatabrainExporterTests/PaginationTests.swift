import Testing
@testable import DatabrainExporter

@Suite struct PaginationTests {
    @Test func aShortOrEmptyPageIsTheLast() {
        #expect(Pagination.isLastPage(itemCount: 0))
        #expect(Pagination.isLastPage(itemCount: 9))
        #expect(!Pagination.isLastPage(itemCount: 10))
        #expect(!Pagination.isLastPage(itemCount: 11))
    }

    @Test func parametersAreTheDocumentedStrings() {
        #expect(Pagination.query(paginate: false, page: 1) == "isPagination=false")
        #expect(Pagination.query(paginate: true, page: 7) == "isPagination=true&pageNumber=7")
    }

    @Test func urlJoinsBaseAndPathWhateverTheTrailingSlash() {
        let settings = FetchSettings(baseURL: "https://db.example.com/", paginate: true, maxPages: 5, timeout: .seconds(1), maxBodyBytes: 1024)
        #expect(settings.url("/api/v2/datasource", page: 2) == "https://db.example.com/api/v2/datasource?isPagination=true&pageNumber=2")
        #expect(settings.url("/api/v2/data-app/datamarts", query: "expandDetails=false", page: 1)
                == "https://db.example.com/api/v2/data-app/datamarts?isPagination=true&pageNumber=1&expandDetails=false")
    }
}
