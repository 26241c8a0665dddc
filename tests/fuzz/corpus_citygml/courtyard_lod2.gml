<?xml version="1.0" encoding="UTF-8"?>
<CityModel xmlns:bldg="http://www.opengis.net/citygml/building/1.0" xmlns:gml="http://www.opengis.net/gml" xmlns="http://www.opengis.net/citygml/1.0">
<gml:boundedBy><gml:Envelope srsName="EPSG:25833" srsDimension="3"><gml:lowerCorner>0 0 30</gml:lowerCorner><gml:upperCorner>10 10 40</gml:upperCorner></gml:Envelope></gml:boundedBy>
<cityObjectMember><bldg:Building gml:id="B"><bldg:roofType>1000</bldg:roofType>
<bldg:boundedBy><bldg:GroundSurface><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember><gml:Polygon>
<gml:exterior><gml:LinearRing><gml:posList>0 0 30 0 10 30 10 10 30 10 0 30 0 0 30</gml:posList></gml:LinearRing></gml:exterior>
<gml:interior><gml:LinearRing><gml:posList>4 4 30 6 4 30 6 6 30 4 6 30 4 4 30</gml:posList></gml:LinearRing></gml:interior>
</gml:Polygon></gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:GroundSurface></bldg:boundedBy>
<bldg:boundedBy><bldg:RoofSurface><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember><gml:Polygon>
<gml:exterior><gml:LinearRing><gml:posList>0 0 40 10 0 40 10 10 40 0 10 40 0 0 40</gml:posList></gml:LinearRing></gml:exterior>
</gml:Polygon></gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:RoofSurface></bldg:boundedBy>
<bldg:boundedBy><bldg:WallSurface><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember><gml:Polygon>
<gml:exterior><gml:LinearRing><gml:posList>0 0 30 10 0 30 10 0 40 0 0 40 0 0 30</gml:posList></gml:LinearRing></gml:exterior>
</gml:Polygon></gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:WallSurface></bldg:boundedBy>
</bldg:Building></cityObjectMember></CityModel>
