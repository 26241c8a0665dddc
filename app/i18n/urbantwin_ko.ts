<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ko_KR">
<context>
    <name>PlanningReport</name>
    <message>
        <source>Scenario: %1 · %2 · UrbanTwin %3</source>
        <translation>시나리오: %1 · %2 · UrbanTwin %3</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>건물</translation>
    </message>
    <message>
        <source>%1 (%2 with estimated heights)</source>
        <translation>%1 (높이 추정 %2)</translation>
    </message>
    <message>
        <source>Road links</source>
        <translation>도로 링크</translation>
    </message>
    <message>
        <source>Coordinate system</source>
        <translation>좌표계</translation>
    </message>
    <message>
        <source>Weather</source>
        <translation>기상</translation>
    </message>
    <message>
        <source>Data source</source>
        <translation>데이터 소스</translation>
    </message>
    <message>
        <source>Map data © OpenStreetMap contributors (ODbL). Produced with UrbanTwin.</source>
        <translation>지도 데이터 © OpenStreetMap 기여자 (ODbL). UrbanTwin으로 작성.</translation>
    </message>
    <message>
        <source>Simulation</source>
        <translation>시뮬레이션</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>시나리오</translation>
    </message>
    <message>
        <source>Buildings where %1</source>
        <translation>%1 조건의 건물</translation>
    </message>
    <message>
        <source>KPI</source>
        <translation>지표</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>기준안</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>변화</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>단위</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Marginal abatement cost curve: a bar per building, as wide as its CO2 reduction, as high as its abatement cost. %1 buildings in the plan, cheapest tonne first; the first %2:</source>
        <translation>한계감축비용 곡선: 건물마다 막대 하나, 폭은 CO2 감축량, 높이는 감축 비용. 계획에 건물 %1동, 톤당 비용이 낮은 순서; 처음 %2동:</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>건물</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>패키지</translation>
    </message>
    <message>
        <source>Investment (M KRW)</source>
        <translation>투자비 (백만 원)</translation>
    </message>
    <message>
        <source>CO2 reduction (t/yr)</source>
        <translation>CO2 감축 (t/년)</translation>
    </message>
    <message>
        <source>MAC (KRW/tCO2)</source>
        <translation>한계감축비용 (원/tCO2)</translation>
    </message>
    <message>
        <source>Payback (years)</source>
        <translation>회수 기간 (년)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>City</source>
        <translation>도시</translation>
    </message>
    <message>
        <source>Assumptions</source>
        <translation>가정</translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation>주요 지표</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>지도</translation>
    </message>
    <message>
        <source>Chart</source>
        <translation>차트</translation>
    </message>
    <message>
        <source>Retrofit plan</source>
        <translation>그린 리모델링 계획</translation>
    </message>
</context>
<context>
    <name>ut::app::FieldChart</name>
    <message>
        <source>This building</source>
        <translation>이 건물</translation>
    </message>
    <message>
        <source>District total</source>
        <translation>지구 합계</translation>
    </message>
    <message>
        <source>All buildings</source>
        <translation>전체 건물</translation>
    </message>
    <message>
        <source>This building's bin</source>
        <translation>이 건물의 구간</translation>
    </message>
</context>
<context>
    <name>ut::app::InspectorPanel</name>
    <message>
        <source>Inspector</source>
        <translation>속성 보기</translation>
    </message>
    <message>
        <source>from the data</source>
        <translation>데이터 값</translation>
    </message>
    <message>
        <source>from floor count (estimated)</source>
        <translation>층수로 추정</translation>
    </message>
    <message>
        <source>default (estimated)</source>
        <translation>기본값 (추정)</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>높이</translation>
    </message>
    <message>
        <source>%1 m, %2</source>
        <translation>%1 m, %2</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>용도</translation>
    </message>
    <message>
        <source>Footprint area</source>
        <translation>건축면적</translation>
    </message>
    <message>
        <source>%1 m²</source>
        <translation>%1 m²</translation>
    </message>
    <message>
        <source>Year built</source>
        <translation>준공 연도</translation>
    </message>
    <message>
        <source>Part of</source>
        <translation>소속 건물</translation>
    </message>
    <message>
        <source>Road class</source>
        <translation>도로 등급</translation>
    </message>
    <message>
        <source>Lanes</source>
        <translation>차로</translation>
    </message>
    <message>
        <source>%1, one-way</source>
        <translation>%1, 일방통행</translation>
    </message>
    <message>
        <source>%1 (%2 forward, %3 backward)</source>
        <translation>%1 (순방향 %2, 역방향 %3)</translation>
    </message>
    <message>
        <source>Speed limit</source>
        <translation>제한 속도</translation>
    </message>
    <message>
        <source>%1 km/h%2</source>
        <translation>%1 km/h%2</translation>
    </message>
    <message>
        <source> (estimated from the road class)</source>
        <translation> (도로 등급으로 추정)</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>길이</translation>
    </message>
    <message>
        <source>%1 m</source>
        <translation>%1 m</translation>
    </message>
    <message>
        <source>Click a building or a road to see its attributes and results.</source>
        <translation>건물이나 도로를 클릭하면 속성과 결과가 표시됩니다.</translation>
    </message>
    <message>
        <source>given per part</source>
        <translation>부분별로 계산됨</translation>
    </message>
    <message>
        <source>no value</source>
        <translation>값 없음</translation>
    </message>
</context>
<context>
    <name>ut::app::LayerPanel</name>
    <message>
        <source>Layers</source>
        <translation>레이어</translation>
    </message>
    <message>
        <source>Scene</source>
        <translation>장면</translation>
    </message>
    <message>
        <source>Buildings (%1)</source>
        <translation>건물 (%1)</translation>
    </message>
    <message>
        <source>Road links (%1)</source>
        <translation>도로 링크 (%1)</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>차량</translation>
    </message>
    <message>
        <source>Ground</source>
        <translation>지면</translation>
    </message>
    <message>
        <source>Data sources</source>
        <translation>데이터 소스</translation>
    </message>
    <message>
        <source>%1
%2 buildings, %3 road links, %4 skipped
CRS %5</source>
        <translation>%1
건물 %2개, 도로 링크 %3개, 건너뜀 %4개
좌표계 %5</translation>
    </message>
    <message>
        <source>%1 — failed to load</source>
        <translation>%1 — 불러오기 실패</translation>
    </message>
    <message>
        <source>Weather: %1</source>
        <translation>기상: %1</translation>
    </message>
    <message>
        <source>Weather — failed to load</source>
        <translation>기상 — 불러오기 실패</translation>
    </message>
    <message>
        <source>Sensors (%1)</source>
        <translation>센서 (%1)</translation>
    </message>
    <message>
        <source>Sensor feed: %1</source>
        <translation>센서 피드: %1</translation>
    </message>
</context>
<context>
    <name>ut::app::MainWindow</name>
    <message>
        <source>About UrbanTwin</source>
        <translation>UrbanTwin 정보</translation>
    </message>
    <message>
        <source>Vehicle speed (drawn %1× size)</source>
        <translation>차량 속도 (%1배 크기로 표시)</translation>
    </message>
    <message>
        <source>&lt;b&gt;UrbanTwin&lt;/b&gt; %1&lt;br&gt;An urban digital twin for planners.&lt;br&gt;&lt;br&gt;Demo city map data © OpenStreetMap contributors (ODbL 1.0).</source>
        <translation>&lt;b&gt;UrbanTwin&lt;/b&gt; %1&lt;br&gt;도시계획가를 위한 도시 디지털 트윈.&lt;br&gt;&lt;br&gt;데모 도시 지도 데이터 © OpenStreetMap 기여자 (ODbL 1.0).</translation>
    </message>
    <message>
        <source>UrbanTwin</source>
        <translation>UrbanTwin</translation>
    </message>
    <message>
        <source>%1 — UrbanTwin</source>
        <translation>%1 — UrbanTwin</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>프로젝트 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Data File…</source>
        <translation>데이터 파일 열기(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Export Image…</source>
        <translation>이미지 내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Home View</source>
        <translation>처음 보기(&amp;H)</translation>
    </message>
    <message>
        <source>System Language</source>
        <translation>시스템 언어</translation>
    </message>
    <message>
        <source>&amp;About UrbanTwin</source>
        <translation>UrbanTwin 정보(&amp;A)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>© OpenStreetMap contributors</source>
        <translation>© OpenStreetMap 기여자</translation>
    </message>
    <message>
        <source>Move the cursor over the city to see coordinates</source>
        <translation>도시 위로 커서를 옮기면 좌표가 표시됩니다</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 불러오는 중…</translation>
    </message>
    <message>
        <source>Loading canceled; the previous city stays open</source>
        <translation>불러오기를 취소했습니다. 이전 도시가 그대로 열려 있습니다</translation>
    </message>
    <message>
        <source>Loaded %1 buildings and %2 road links</source>
        <translation>건물 %1개와 도로 링크 %2개를 불러왔습니다</translation>
    </message>
    <message>
        <source>Cursor is above the horizon</source>
        <translation>커서가 지평선 위에 있습니다</translation>
    </message>
    <message>
        <source>%1° N, %2° E   |   %3: %4, %5 m</source>
        <translation>북위 %1°, 동경 %2°   |   %3: %4, %5 m</translation>
    </message>
    <message>
        <source>UrbanTwin projects (*.utwin)</source>
        <translation>UrbanTwin 프로젝트 (*.utwin)</translation>
    </message>
    <message>
        <source>GIS data (*.gpkg *.shp *.geojson *.json *.jsonl *.fgb *.osm *.pbf *.gml *.xml);;All files (*)</source>
        <translation>GIS 데이터 (*.gpkg *.shp *.geojson *.json *.jsonl *.fgb *.osm *.pbf *.gml *.xml);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>프로젝트 열기</translation>
    </message>
    <message>
        <source>Open Data File</source>
        <translation>데이터 파일 열기</translation>
    </message>
    <message>
        <source>Export Image</source>
        <translation>이미지 내보내기</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
        <source>%1: cannot write the image</source>
        <translation>%1: 이미지를 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>Saved %1 (%2 × %3)</source>
        <translation>%1 저장됨 (%2 × %3)</translation>
    </message>
    <message>
        <source>Simulation finished</source>
        <translation>시뮬레이션이 끝났습니다</translation>
    </message>
    <message>
        <source>&amp;Save Project As…</source>
        <translation>다른 이름으로 프로젝트 저장(&amp;S)…</translation>
    </message>
    <message>
        <source> (change)</source>
        <translation> (변화량)</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>다른 이름으로 프로젝트 저장</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 저장됨</translation>
    </message>
    <message>
        <source>Save Viewpoint</source>
        <translation>시점 저장</translation>
    </message>
    <message>
        <source>Name of this view:</source>
        <translation>이 시점의 이름:</translation>
    </message>
    <message>
        <source>Export &amp;Report (PDF)…</source>
        <translation>보고서 내보내기(PDF)(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Presentation Mode</source>
        <translation>프레젠테이션 모드(&amp;P)</translation>
    </message>
    <message>
        <source>Less &amp;Detail While Moving</source>
        <translation>움직이는 동안 세부 묘사 줄이기(&amp;D)</translation>
    </message>
    <message>
        <source>Show &amp;Frame Time</source>
        <translation>프레임 시간 표시(&amp;F)</translation>
    </message>
    <message>
        <source>Shadows</source>
        <translation>그림자</translation>
    </message>
    <message>
        <source>Buildings cast shadows in the sun of the chosen date and time</source>
        <translation>선택한 날짜와 시각의 햇빛으로 건물 그림자를 그립니다</translation>
    </message>
    <message>
        <source>%1 ms a frame</source>
        <translation>프레임당 %1 ms</translation>
    </message>
    <message>
        <source>%1 ms a frame, less detail while moving</source>
        <translation>프레임당 %1 ms, 움직이는 동안 세부 묘사 줄임</translation>
    </message>
    <message>
        <source>Save Current View…</source>
        <translation>현재 시점 저장…</translation>
    </message>
    <message>
        <source>View&amp;points</source>
        <translation>시점(&amp;P)</translation>
    </message>
    <message>
        <source>Saved the view as “%1”; save the project to keep it</source>
        <translation>시점을 “%1”(으)로 저장했습니다. 유지하려면 프로젝트를 저장하십시오</translation>
    </message>
    <message>
        <source>UrbanTwin — urban digital twin</source>
        <translation>UrbanTwin — 도시 디지털 트윈</translation>
    </message>
    <message>
        <source>Export Report</source>
        <translation>보고서 내보내기</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 문서 (*.pdf)</translation>
    </message>
    <message>
        <source>Buildings coloured by %1</source>
        <translation>%1 기준 건물 색상</translation>
    </message>
    <message>
        <source>The city as loaded</source>
        <translation>불러온 도시</translation>
    </message>
    <message>
        <source>Picked building: %1</source>
        <translation>선택한 건물: %1</translation>
    </message>
    <message>
        <source>Scenario “%1” stored; save the project to keep it</source>
        <translation>시나리오 “%1”을(를) 저장했습니다. 유지하려면 프로젝트를 저장하십시오</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>태양</translation>
    </message>
    <message>
        <source>Sun at (local standard time): </source>
        <translation>태양 위치 시각(지방 표준시): </translation>
    </message>
    <message>
        <source>Sun %1° above the horizon, azimuth %2°</source>
        <translation>태양 고도 %1°, 방위각 %2°</translation>
    </message>
    <message>
        <source>Sensor feed %1: %2</source>
        <translation>센서 피드 %1: %2</translation>
    </message>
</context>
<context>
    <name>ut::app::ModelComparison</name>
    <message>
        <source>GEH &lt; 5 for %1 % of %2 hourly counts (max %3): %4</source>
        <translation>시간별 교통량 %2개 중 %1 %가 GEH &lt; 5 (최대 %3): %4</translation>
    </message>
    <message>
        <source>acceptable (≥ 85 %)</source>
        <translation>적합 (≥ 85 %)</translation>
    </message>
    <message>
        <source>not acceptable (needs ≥ 85 %)</source>
        <translation>부적합 (85 % 이상 필요)</translation>
    </message>
    <message>
        <source>CV(RMSE) %1 %, NMBE %2 % over %3 hours: %4 ASHRAE Guideline 14 (hourly %5 %, ±%6 %)</source>
        <translation>CV(RMSE) %1 %, NMBE %2 % (%3시간): ASHRAE Guideline 14 기준(시간별 %5 %, ±%6 %) %4</translation>
    </message>
    <message>
        <source>within</source>
        <translation>충족</translation>
    </message>
    <message>
        <source>outside</source>
        <translation>미충족</translation>
    </message>
    <message>
        <source>%1 measurements fall on model steps, too few for statistics</source>
        <translation>모델 시간 단계와 맞는 측정값이 %1개뿐이라 통계를 낼 수 없습니다</translation>
    </message>
</context>
<context>
    <name>ut::app::ScenarioDialog</name>
    <message>
        <source>New Scenario</source>
        <translation>새 시나리오</translation>
    </message>
    <message>
        <source>Edit Scenario</source>
        <translation>시나리오 편집</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>설명</translation>
    </message>
    <message>
        <source>Building edits: which buildings (a filter such as use == "residential" and year_built &lt; 1990) and what to set (height = 30, u_wall = 0.24, building:levels = 7)</source>
        <translation>건물 편집: 대상 건물(예: use == "residential" and year_built &lt; 1990)과 바꿀 값(height = 30, u_wall = 0.24, building:levels = 7)</translation>
    </message>
    <message>
        <source>Buildings where</source>
        <translation>대상 건물 조건</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Selected</source>
        <translation>선택됨</translation>
    </message>
    <message>
        <source>Add Edit</source>
        <translation>편집 추가</translation>
    </message>
    <message>
        <source>Remove Edit</source>
        <translation>편집 삭제</translation>
    </message>
    <message>
        <source>Give the scenario a name other than “baseline”.</source>
        <translation>“baseline”이 아닌 시나리오 이름을 입력하십시오.</translation>
    </message>
    <message>
        <source>A scenario named “%1” exists already.</source>
        <translation>“%1” 시나리오가 이미 있습니다.</translation>
    </message>
    <message>
        <source>Edit %1: %2</source>
        <translation>편집 %1: %2</translation>
    </message>
    <message>
        <source>Edit %1: write what to set as name = value, separated by commas.</source>
        <translation>편집 %1: 설정할 값을 이름 = 값 형식으로, 쉼표로 구분해 쓰십시오.</translation>
    </message>
</context>
<context>
    <name>ut::app::SensorChart</name>
    <message>
        <source>Measured</source>
        <translation>측정</translation>
    </message>
    <message>
        <source>Simulated</source>
        <translation>시뮬레이션</translation>
    </message>
</context>
<context>
    <name>ut::app::SensorPanel</name>
    <message>
        <source>just now</source>
        <translation>방금</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation><numerusform>%n분 전</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation><numerusform>%n시간 전</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n days ago</source>
        <translation><numerusform>%n일 전</numerusform></translation>
    </message>
    <message>
        <source>malformed</source>
        <translation>형식 오류</translation>
    </message>
    <message>
        <source>unknown datastream</source>
        <translation>알 수 없는 데이터스트림</translation>
    </message>
    <message>
        <source>wrong unit</source>
        <translation>단위 불일치</translation>
    </message>
    <message>
        <source>clock-skewed</source>
        <translation>시각 오차</translation>
    </message>
    <message>
        <source>duplicates dropped</source>
        <translation>중복 제외</translation>
    </message>
    <message>
        <source>connection losses</source>
        <translation>연결 끊김</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>센서</translation>
    </message>
    <message>
        <source>Pins show:</source>
        <translation>핀 표시:</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>센서</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Observed</source>
        <translation>관측 시각</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>실시간</translation>
    </message>
    <message>
        <source>Follow the newest observations</source>
        <translation>최신 관측값 따라가기</translation>
    </message>
    <message>
        <source>Replay the stored history</source>
        <translation>저장된 이력 재생</translation>
    </message>
    <message>
        <source>1 min/s</source>
        <translation>1분/초</translation>
    </message>
    <message>
        <source>1 h/s</source>
        <translation>1시간/초</translation>
    </message>
    <message>
        <source>6 h/s</source>
        <translation>6시간/초</translation>
    </message>
    <message>
        <source>1 day/s</source>
        <translation>1일/초</translation>
    </message>
    <message>
        <source>Replay speed: data time per second</source>
        <translation>재생 속도: 초당 데이터 시간</translation>
    </message>
    <message>
        <source>No observations yet</source>
        <translation>아직 관측값이 없습니다</translation>
    </message>
    <message>
        <source>Live — newest data %1</source>
        <translation>실시간 — 최신 데이터 %1</translation>
    </message>
    <message>
        <source>Replay — %1</source>
        <translation>재생 — %1</translation>
    </message>
    <message>
        <source>%1: no %2 observation yet</source>
        <translation>%1: 아직 %2 관측값 없음</translation>
    </message>
    <message>
        <source>%1: %2 %3 %4 (%5)%6</source>
        <translation>%1: %2 %3 %4 (%5)%6</translation>
    </message>
    <message>
        <source> — stale</source>
        <translation> — 오래됨</translation>
    </message>
    <message>
        <source>Measured vs %1: %2</source>
        <translation>측정 대비 %1: %2</translation>
    </message>
    <message>
        <source>%1: not running — %2</source>
        <translation>%1: 실행 안 됨 — %2</translation>
    </message>
    <message>
        <source>%1: %2 received, %3 stored</source>
        <translation>%1: %2건 수신, %3건 저장</translation>
    </message>
</context>
<context>
    <name>ut::app::SimulationPanel</name>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Simulation</source>
        <translation>시뮬레이션</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>시나리오</translation>
    </message>
    <message>
        <source>Compare with the baseline</source>
        <translation>기준안과 비교</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>Colour buildings by</source>
        <translation>건물 색상 기준</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <source>No simulation plugins found.</source>
        <translation>시뮬레이션 플러그인이 없습니다.</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>기준안</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>실행 중…</translation>
    </message>
    <message>
        <source>Done: differences %1 − baseline</source>
        <translation>완료: %1 − 기준안 차이</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>KPI</source>
        <translation>지표</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>변화</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>단위</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Nothing (plain)</source>
        <translation>없음 (기본색)</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>높이</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>용도</translation>
    </message>
    <message>
        <source>Year built</source>
        <translation>준공 연도</translation>
    </message>
    <message>
        <source>Height source</source>
        <translation>높이 출처</translation>
    </message>
    <message>
        <source>Footprint area</source>
        <translation>건축면적</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>새로 만들기…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>편집…</translation>
    </message>
    <message>
        <source>Colour roads by</source>
        <translation>도로 색상 기준</translation>
    </message>
    <message>
        <source>Playback speed: simulated seconds per second</source>
        <translation>재생 속도: 1초에 재생하는 모의 시간(초)</translation>
    </message>
</context>
<context>
    <name>RetrofitPlan</name>
    <message>
        <source>Cumulative CO2 reduction (t/yr)</source>
        <translation>누적 CO2 감축 (t/년)</translation>
    </message>
    <message>
        <source>MAC (thousand KRW/tCO2)</source>
        <translation>한계감축비용 (천 원/tCO2)</translation>
    </message>
</context>
<context>
    <name>ut::app::RetrofitPlanPanel</name>
    <message>
        <source>Retrofit plan</source>
        <translation>그린 리모델링 계획</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV 내보내기…</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>건물</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>패키지</translation>
    </message>
    <message>
        <source>Investment (M KRW)</source>
        <translation>투자비 (백만 원)</translation>
    </message>
    <message>
        <source>CO2 reduction (t/yr)</source>
        <translation>CO2 감축 (t/년)</translation>
    </message>
    <message>
        <source>MAC (KRW/tCO2)</source>
        <translation>한계감축비용 (원/tCO2)</translation>
    </message>
    <message>
        <source>Payback (years)</source>
        <translation>회수 기간 (년)</translation>
    </message>
    <message>
        <source>Energy saving (MWh/yr)</source>
        <translation>에너지 절감 (MWh/년)</translation>
    </message>
    <message>
        <source>Run the retrofit simulation to see its plan here.</source>
        <translation>그린 리모델링 시뮬레이션을 실행하면 여기에 계획이 표시됩니다.</translation>
    </message>
    <message>
        <source>%1 buildings, %2 M KRW, %3 tCO2/yr saved (%4 %), mean payback %5 years.</source>
        <translation>건물 %1동, %2 백만 원, CO2 %3 t/년 절감 (%4 %), 평균 회수 기간 %5년.</translation>
    </message>
    <message>
        <source>Target reached.</source>
        <translation>목표 달성.</translation>
    </message>
    <message>
        <source>Target not reached within the budget: it costs %1 M KRW.</source>
        <translation>예산 안에서는 목표에 이르지 못합니다: 목표 달성 비용 %1 백만 원.</translation>
    </message>
    <message>
        <source>Target out of reach with this catalogue.</source>
        <translation>이 카탈로그로는 목표에 이를 수 없습니다.</translation>
    </message>
    <message>
        <source>PV covers %1 % of the district&apos;s electricity use after the plan.</source>
        <translation>계획 후 태양광이 지구 전력 사용량의 %1 %를 충당합니다.</translation>
    </message>
    <message>
        <source>Marginal abatement cost curve</source>
        <translation>한계감축비용 곡선</translation>
    </message>
    <message>
        <source>MAC</source>
        <translation>한계감축비용</translation>
    </message>
    <message>
        <source>Cumulative CO2 reduction (t/yr)</source>
        <translation>누적 CO2 감축 (t/년)</translation>
    </message>
    <message>
        <source>Export the retrofit plan</source>
        <translation>그린 리모델링 계획 내보내기</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
</context>
</TS>